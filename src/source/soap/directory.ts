import type { Agent, Brand, Department, Group, QueueUser } from '../../model/source';
import { parseUtcDate } from '../dates';
import { child, items, type SoapValue, text, type XmlNode } from './envelope';
import { SoapOperationError } from './errors';
import { KeyValues } from './key-values';
import { mapLimit } from './pool';
import { AgentInfo, IdName, RoleInfo } from './schemas';
import type { SoapClient } from './soap-client';

/**
 * The organization as svcOrganization shows it: brands, departments (brand from
 * GetDepartmentsForBrand), groups (department from GetGroupsForDepartment), agents with their
 * properties, roles and groups, the queue user, and the API user itself with the groups it can see.
 */
export interface Directory {
  apiAgent: { id: number; userName: string | null; displayName: string | null };
  visibleGroupIds: number[];
  brands: Brand[];
  departments: Department[];
  groups: Group[];
  agents: Agent[];
  queueUsers: QueueUser[];
}

/** User properties requested from GetUsersProperties (keys ASSUMED to follow the st_Users columns). */
const USER_PROPERTY_KEYS = [
  'UserName',
  'Email',
  'DisplayName',
  'PhoneNumber',
  'Language',
  'DateCreatedUTC',
  'DateLastLoginUTC',
  'IsDeleted',
  'IsEmailVerified',
  'IsLockedOut',
  'IsPrimaryAdmin',
] as const;

const date = (v: string | null) => {
  if (v === null || v.startsWith('0001-01-01')) return null;
  try {
    return parseUtcDate(v);
  } catch {
    return null;
  }
};

export interface UserDetails {
  props: KeyValues;
  roles: { name: string; employee: boolean }[];
}

export function listOf<T>(result: XmlNode, container: string, item: string, parse: (fields: XmlNode) => T): T[] {
  return items(child(result, container), item).map(parse);
}

export function flatFields(node: XmlNode): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof node === 'string') return out;
  for (const [k, v] of Object.entries(node)) {
    const t = text(v);
    if (t !== null) out[k] = t;
  }
  return out;
}

export async function userDetails(client: SoapClient, userId: number): Promise<UserDetails | null> {
  let props: KeyValues;
  try {
    const result = await client.call('svcOrganization', 'GetUsersProperties', [
      ['userId', userId],
      ['requestedValues', [...USER_PROPERTY_KEYS]],
    ]);
    props = new KeyValues(items(child(result, 'RequestResults'), 'string').map((n) => text(n) ?? ''));
  } catch (error) {
    if (error instanceof SoapOperationError) return null; // no such user
    throw error;
  }
  const roles = listOf(
    await client.call('svcOrganization', 'GetAllUserRoles', [['userID', userId]]),
    'Roles',
    'RoleInfo',
    (n) => RoleInfo.parse(flatFields(n)),
  );
  return { props, roles: roles.map((r) => ({ name: r.RoleName ?? '', employee: r.IsEmployee })) };
}

export function userRecord<K extends 'agent' | 'endUser' | 'queue'>(
  kind: K,
  id: number,
  d: UserDetails,
  fallback: { userName?: string | null; displayName?: string | null } = {},
) {
  const p = d.props;
  return {
    kind,
    id,
    userName: p.text('UserName') ?? fallback.userName ?? null,
    email: p.text('Email'),
    displayName: p.text('DisplayName') ?? fallback.displayName ?? null,
    phone: p.text('PhoneNumber'),
    language: p.text('Language'),
    createdAt: date(p.text('DateCreatedUTC')),
    lastLoginAt: date(p.text('DateLastLoginUTC')),
    deleted: p.bool('IsDeleted') ?? false,
    emailVerified: p.bool('IsEmailVerified') ?? false,
    lockedOut: p.bool('IsLockedOut') ?? false,
    roleNames: d.roles.map((r) => r.name),
  };
}

export async function readDirectory(client: SoapClient, concurrency: number): Promise<Directory> {
  const org = (op: string, params: [string, SoapValue][] = []) => client.call('svcOrganization', op, params);
  const { user, password } = client.credentials;
  // The credential check first: a wrong password fails here, naming ValidateAgent and the user.
  const validated = await org('ValidateAgent', [
    ['agentUserName', user],
    ['agentPassword', password],
  ]);
  const agentNode = child(validated, 'Agent');
  const api = AgentInfo.parse(flatFields(agentNode ?? ''));

  const brands = listOf(await org('GetAllBrands'), 'Brands', 'BrandInfo', (n) => IdName.parse(flatFields(n)));
  const brandOfDepartment = new Map<number, number>();
  for (const b of brands) {
    for (const d of listOf(
      await org('GetDepartmentsForBrand', [['BrandID', b.ID]]),
      'Departments',
      'DepartmentInfo',
      (n) => IdName.parse(flatFields(n)),
    )) {
      brandOfDepartment.set(d.ID, b.ID);
    }
  }
  const departments = listOf(await org('GetAllDepartments'), 'Departments', 'DepartmentInfo', (n) =>
    IdName.parse(flatFields(n)),
  );
  const groups: Group[] = [];
  const departmentOfGroup = new Map<number, number>();
  for (const d of departments) {
    for (const g of listOf(await org('GetGroupsForDepartment', [['DepartmentID', d.ID]]), 'Groups', 'GroupInfo', (n) =>
      IdName.parse(flatFields(n)),
    )) {
      departmentOfGroup.set(g.ID, d.ID);
      groups.push({
        departmentId: d.ID,
        id: g.ID,
        name: g.Name,
        description: null,
        deleted: false,
        frontLine: false,
        internal: false,
      });
    }
  }
  const groupsOf = async (userId: number) =>
    listOf(await org('GetGroupsForUser', [['UserID', userId]]), 'Groups', 'GroupInfo', (n) =>
      IdName.parse(flatFields(n)),
    );

  let queue: AgentInfo | null = null;
  try {
    queue = AgentInfo.parse(flatFields(child(await org('GetQueueUser'), 'Agent') ?? ''));
  } catch (error) {
    if (!(error instanceof SoapOperationError)) throw error;
  }
  const agentInfos = listOf(await org('GetAllAgents'), 'Agents', 'AgentInfo', (n) =>
    AgentInfo.parse(flatFields(n)),
  ).filter((a) => a.ID !== queue?.ID);
  const agents = (
    await mapLimit(agentInfos, concurrency, async (a): Promise<Agent | null> => {
      const details = await userDetails(client, a.ID);
      if (!details) return null;
      const memberships = (await groupsOf(a.ID)).map((g) => ({
        departmentId: departmentOfGroup.get(g.ID) ?? 0,
        groupId: g.ID,
        isGroupAdmin: false,
        activeForTickets: false,
        activeForChats: false,
        roundRobinOrder: null,
      }));
      return {
        ...userRecord('agent', a.ID, details, { userName: a.UserName, displayName: a.DisplayName }),
        primaryAdmin: details.props.bool('IsPrimaryAdmin') ?? false,
        groups: memberships,
      };
    })
  ).filter((a): a is Agent => a !== null);

  const queueUsers: QueueUser[] = [];
  if (queue) {
    const details = await userDetails(client, queue.ID);
    if (details)
      queueUsers.push(
        userRecord('queue', queue.ID, details, { userName: queue.UserName, displayName: queue.DisplayName }),
      );
  }
  return {
    apiAgent: { id: api.ID, userName: api.UserName, displayName: api.DisplayName },
    visibleGroupIds: (await groupsOf(api.ID)).map((g) => g.ID).sort((a, b) => a - b),
    brands: brands.map((b) => ({ id: b.ID, name: b.Name, hostHeader: null, isDefault: false })),
    departments: departments.map((d) => ({
      id: d.ID,
      name: d.Name,
      brandId: brandOfDepartment.get(d.ID) ?? null,
      deleted: false,
      internal: false,
      templateIds: { ticket: null, chat: null, callLog: null },
    })),
    groups,
    agents,
    queueUsers,
  };
}
