import type { Ticket } from '../../model/source';
import { parseUtcDate } from '../dates';
import { type Directory, flatFields, listOf } from './directory';
import { child, items, text } from './envelope';
import { SoapOperationError } from './errors';
import { keyValueList, KeyValues } from './key-values';
import { mapLimit } from './pool';
import { AgentInfo, TicketAttachmentInfo, TicketInfo, TicketPartInfo } from './schemas';
import type { SoapClient } from './soap-client';

/**
 * What the reader knows of every visible ticket before reading bodies: the search row, its
 * properties and custom fields (key=value), its status name, its conversation parts and its
 * attachments' metadata. Held in memory (the API has no paging or cursor to resume from): about
 * a few hundred bytes per part, so a desk of 100,000 tickets needs a few hundred MB. Bodies and
 * files are fetched later, one ticket at a time.
 */
export interface IndexedTicket {
  info: TicketInfo;
  ticket: Ticket;
  parts: TicketPartInfo[];
  attachments: TicketAttachmentInfo[];
  customFields: [string, string][];
}

export interface SearchOptions {
  concurrency: number;
  /** A group × state partition with at least this many tickets is re-read per agent, in case the service truncated it. */
  splitThreshold: number;
}

export interface SearchFigures {
  partitions: number;
  /** Groups the API user is not a member of that still returned tickets. */
  nonMemberGroupsWithTickets: number[];
  splitPartitions: number;
  duplicatesDropped: number;
}

/**
 * No paging in GetTicketsBySearch: requests are partitioned by group (only the API user's groups
 * are visible) × open/closed, and a large partition again by agent; rows are deduplicated by id.
 */
export async function searchTickets(
  client: SoapClient,
  dir: Directory,
  options: SearchOptions,
): Promise<{ infos: TicketInfo[]; figures: SearchFigures }> {
  const byId = new Map<number, TicketInfo>();
  const figures: SearchFigures = {
    partitions: 0,
    nonMemberGroupsWithTickets: [],
    splitPartitions: 0,
    duplicatesDropped: 0,
  };
  const search = async (criteria: Record<string, string | number | boolean>) => {
    figures.partitions++;
    const result = await client.call('svcTickets', 'GetTicketsBySearch', [['searchCriteria', keyValueList(criteria)]]);
    return listOf(result, 'Tickets', 'TicketInfo', (n) => TicketInfo.parse(flatFields(n)));
  };
  const add = (rows: TicketInfo[]) => {
    for (const t of rows) {
      if (byId.has(t.ID)) figures.duplicatesDropped++;
      else byId.set(t.ID, t);
    }
  };
  // Every known group is searched, not only the API user's: a member-only view costs two empty
  // answers per group, and an account that sees more (an administrator) is not cut short.
  for (const groupId of searchGroups(dir)) {
    for (const isOpen of [true, false]) {
      const rows = await search({ GroupId: groupId, IsOpen: isOpen });
      add(rows);
      if (
        rows.length &&
        !dir.visibleGroupIds.includes(groupId) &&
        !figures.nonMemberGroupsWithTickets.includes(groupId)
      )
        figures.nonMemberGroupsWithTickets.push(groupId);
      if (rows.length >= options.splitThreshold) {
        figures.splitPartitions++;
        const agents = listOf(
          await client.call('svcOrganization', 'GetAgentsForGroup', [['GroupID', groupId]]),
          'Agents',
          'AgentInfo',
          (n) => AgentInfo.parse(flatFields(n)),
        );
        for (const agent of agents) add(await search({ GroupId: groupId, IsOpen: isOpen, UserId: agent.ID }));
      }
    }
  }
  return { infos: [...byId.values()].sort((a, b) => a.ID - b.ID), figures };
}

const date = (v: string | null) => {
  if (v === null || v.startsWith('0001-01-01')) return null;
  try {
    return parseUtcDate(v);
  } catch {
    return null;
  }
};

export async function indexTickets(
  client: SoapClient,
  dir: Directory,
  infos: TicketInfo[],
  concurrency: number,
): Promise<IndexedTicket[]> {
  const brandOf = new Map(dir.departments.map((d) => [d.id, d.brandId]));
  const queueIds = new Set(dir.queueUsers.map((q) => q.id));
  const call = (op: string, params: [string, string | number][]) => client.call('svcTickets', op, params);
  const strings = (result: Awaited<ReturnType<typeof call>>) =>
    items(child(result, 'RequestResults'), 'string').map((n) => text(n) ?? '');
  const out = await mapLimit(infos, concurrency, async (info): Promise<IndexedTicket | null> => {
    const number = info.TicketNumber ?? '';
    let props: KeyValues;
    try {
      props = new KeyValues(strings(await call('GetTicketPropertiesList', [['ticketNumber', number]])));
    } catch (error) {
      // Gone between the search and now (deleted, transferred out of the visible groups).
      if (error instanceof SoapOperationError) return null;
      throw error;
    }
    const statusName = text(child(await call('GetTicketStatus', [['ticketNumber', number]]), 'RequestResult')) || null;
    const customFields = new KeyValues(
      strings(await call('GetTicketCustomFieldsList', [['ticketNumber', number]])),
    ).entries();
    const parts = listOf(
      await call('GetTicketConversationPartList', [['ticketId', info.ID]]),
      'Parts',
      'TicketPartInfo',
      (n) => TicketPartInfo.parse(flatFields(n)),
    );
    const attachments = listOf(
      await call('GetTicketAttachments', [['ticketId', info.ID]]),
      'Files',
      'TicketAttachmentInfo',
      (n) => TicketAttachmentInfo.parse(flatFields(n)),
    );
    const departmentId = props.int('DepartmentID') ?? info.IdDepartment;
    const agentId = props.int('UserID') ?? info.IdAgent;
    const ticket: Ticket = {
      id: info.ID,
      number: info.TicketNumber,
      subject: props.text('Subject') ?? info.Subject,
      statusId: props.int('TicketStatusID'),
      statusName,
      statusIsOpen: info.IsOpen,
      priorityId: props.int('TicketPriorityID') ?? info.Priority,
      priorityName: null,
      departmentId,
      groupId: props.int('GroupID') ?? info.IdGroup,
      brandId: departmentId === null ? null : (brandOf.get(departmentId) ?? null),
      assignedAgentId: agentId !== null && agentId > 0 && !queueIds.has(agentId) ? agentId : null,
      customerUserId: props.int('UserID_Customer') ?? props.int('CustomerID') ?? info.IdCustomer,
      customerEmail: props.text('CustomerEmailAddress') ?? info.CustomerEmailAddress,
      openedAt: date(props.text('DateOpenedUTC')),
      closedAt: date(props.text('DateClosedUTC')),
      deletedAt: date(props.text('DateDeletedUTC')),
      deleted: info.IsDeleted,
      spam: info.IsSpam,
      // st_TicketMerges is not exposed by the Web Services.
      mergedNumbers: [],
    };
    return { info, ticket, parts, attachments, customFields };
  });
  return out.filter((t): t is IndexedTicket => t !== null);
}

/** The API user's groups first, then every other known group. */
export function searchGroups(dir: Directory): number[] {
  return [...new Set([...dir.visibleGroupIds, ...dir.groups.map((g) => g.id)])];
}
