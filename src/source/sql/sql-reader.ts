import {
  ChatSenderType,
  customFieldKind,
  MessageDirection,
  organizationFilterKind,
  RoleCategory,
  ViewRestriction,
} from '../../model/smartertrack-codes';
import type {
  Agent,
  Attachment,
  AttachmentOwnerKind,
  AutomationRule,
  Brand,
  CallLog,
  ChatMessage,
  CommentType,
  CustomField,
  CustomFieldChannel,
  CustomFieldTemplateUse,
  CustomFieldValue,
  Department,
  DepartmentPolicy,
  EndUser,
  Group,
  KbArticle,
  KbCategory,
  LiveChat,
  Organization,
  OrganizationMembership,
  PreflightFacts,
  QueueUser,
  SourceDescription,
  Tag,
  Ticket,
  TicketComment,
  TicketMessage,
  TicketPriority,
  TicketStatus,
  TicketThread,
} from '../../model/source';
import { resolveAttachmentPath } from '../attachment-paths';
import { MembershipMatcher } from '../organization-membership';
import type { SourceInsights, SourceReader } from '../reader';
import { discoverCatalog } from './catalog';
import type { SqlConnection } from './connection';
import type { SqlDialect } from './dialect';
import { readMssqlPreflight } from './mssql-preflight';
import { type RowOf, type Selection, SqlQueries } from './query';
import { SqlInsights } from './sql-insights';
import { buildThread, groupByTicket } from './thread';
import { versionHints } from './version-hints';

export interface SqlReaderOptions {
  /** App_Data-like folder holding attachment files; null/absent: paths are not resolved. */
  attachmentsRoot?: string | null;
  /** Force a table prefix instead of detecting it. */
  tablePrefix?: string;
  pageSize?: number;
}

/** Discovers the schema, then returns a reader over it. */
export async function createSqlReader(
  connection: SqlConnection,
  dialect: SqlDialect,
  options: SqlReaderOptions = {},
): Promise<SqlSourceReader> {
  const catalog = await discoverCatalog(
    connection,
    dialect,
    options.tablePrefix ? { tablePrefix: options.tablePrefix } : {},
  );
  return new SqlSourceReader(
    new SqlQueries(connection, dialect, catalog, options.pageSize ?? 1000),
    options.attachmentsRoot ?? null,
  );
}

type UserKind = 'agent' | 'endUser' | 'queue';
const b = (v: boolean | null): boolean => v ?? false;

export class SqlSourceReader implements SourceReader {
  readonly insights: SourceInsights;

  constructor(
    readonly q: SqlQueries,
    readonly attachmentsRoot: string | null,
  ) {
    this.insights = new SqlInsights(this);
  }

  drainDataWarnings(): string[] {
    return this.q.drainDataWarnings();
  }

  // ---------- discovery ----------

  async describe(): Promise<SourceDescription> {
    const { catalog, connection } = this.q;
    return {
      engine: connection.engine,
      location: connection.location,
      tablePrefix: catalog.prefix,
      tables: [...catalog.tables.values()].map((t) => ({
        name: t.name,
        logicalName: t.logical,
        columns: [...t.columns.values()],
      })),
      missingOptionalTables: catalog.missingOptionalTables,
      missingOptionalColumns: catalog.missingOptionalColumns,
      versionHints: [...versionHints(catalog, connection.engine), ...(connection.notes ?? [])],
    };
  }

  /** SQL Server only: a SQLite file has no server, backups or permissions to check. */
  async preflight(): Promise<PreflightFacts | null> {
    const { connection, catalog } = this.q;
    return connection.engine === 'mssql' ? readMssqlPreflight(connection, catalog.prefix) : null;
  }

  // ---------- SQL fragments shared with insights ----------

  /** Condition: the user row aliased `u` holds at least one employee role. */
  employeeCondition(p: { add(v: unknown): string }, alias = 'u'): string {
    const q = this.q;
    return `EXISTS (SELECT 1 FROM ${q.table('UsersInRoles', 'ur')} JOIN ${q.table('Roles', 'r')} ON ${q.col('Roles', 'RoleID', 'r')} = ${q.col('UsersInRoles', 'RoleID', 'ur')} WHERE ${q.col('UsersInRoles', 'UserID', 'ur')} = ${q.col('Users', 'UserID', alias)} AND ${q.col('Roles', 'RoleCategory', 'r')} = ${p.add(RoleCategory.EMPLOYEE)})`;
  }

  notQueueCondition(alias = 'u'): string {
    return `COALESCE(${this.q.col('Users', 'IsQueue', alias)}, 0) = 0`;
  }

  userCondition(kind: UserKind, p: { add(v: unknown): string }, alias = 'u'): string {
    if (kind === 'queue') return `COALESCE(${this.q.col('Users', 'IsQueue', alias)}, 0) <> 0`;
    const employee = this.employeeCondition(p, alias);
    return `${this.notQueueCondition(alias)} AND ${kind === 'agent' ? employee : `NOT ${employee}`}`;
  }

  /** Lower-cased, trimmed text that works in SQLite and T-SQL alike. */
  normalized(expr: string): string {
    return `LOWER(LTRIM(RTRIM(${expr})))`;
  }

  // ---------- organization ----------

  async *brands(): AsyncIterable<Brand> {
    if (!this.q.has('Brands')) return;
    const select = this.q.columns('Brands', 'x', [
      'BrandID',
      'BrandName',
      'HostHeaderValue',
      'IsDefaultBrand',
    ] as const);
    for await (const r of this.q.rows({
      select,
      from: this.q.table('Brands', 'x'),
      keys: ['BrandID'],
      label: 'brands',
    })) {
      yield { id: r.BrandID!, name: r.BrandName, hostHeader: r.HostHeaderValue, isDefault: b(r.IsDefaultBrand) };
    }
  }

  private departmentSelect() {
    return this.q.columns('Departments', 'x', [
      'DepartmentID',
      'DisplayName',
      'BrandID',
      'IsDeleted',
      'IsInternal',
      'AutoCloseEnabled',
      'AutoCloseHours',
      'AutoLockEnabled',
      'AutoLockHours',
      'AutoDeleteEnabled',
      'AutoDeleteDays',
      'AutoDeleteCallLogEnabled',
      'AutoDeleteCallLogDays',
      'CustomTemplateID_Ticket',
      'CustomTemplateID_Chat',
      'CustomTemplateID_CallLog',
    ] as const);
  }

  private departmentRows() {
    return this.q.rows({
      select: this.departmentSelect(),
      from: this.q.table('Departments', 'x'),
      keys: ['DepartmentID'],
      label: 'departments',
    });
  }

  async *departments(): AsyncIterable<Department> {
    for await (const r of this.departmentRows()) {
      yield {
        id: r.DepartmentID!,
        name: r.DisplayName,
        brandId: r.BrandID,
        deleted: b(r.IsDeleted),
        internal: b(r.IsInternal),
        templateIds: {
          ticket: r.CustomTemplateID_Ticket,
          chat: r.CustomTemplateID_Chat,
          callLog: r.CustomTemplateID_CallLog,
        },
      };
    }
  }

  async *departmentPolicies(): AsyncIterable<DepartmentPolicy> {
    for await (const r of this.departmentRows()) {
      yield {
        departmentId: r.DepartmentID!,
        departmentName: r.DisplayName,
        autoClose: { enabled: b(r.AutoCloseEnabled), hours: r.AutoCloseHours },
        autoLock: { enabled: b(r.AutoLockEnabled), hours: r.AutoLockHours },
        autoDelete: { enabled: b(r.AutoDeleteEnabled), days: r.AutoDeleteDays },
        autoDeleteCallLogs: { enabled: b(r.AutoDeleteCallLogEnabled), days: r.AutoDeleteCallLogDays },
      };
    }
  }

  async *groups(): AsyncIterable<Group> {
    if (!this.q.has('Groups')) return;
    const select = this.q.columns('Groups', 'x', [
      'DepartmentID',
      'GroupID',
      'GroupName',
      'GroupDescription',
      'IsDeleted',
      'IsFrontLine',
      'IsInternal',
    ] as const);
    for await (const r of this.q.rows({
      select,
      from: this.q.table('Groups', 'x'),
      keys: ['DepartmentID', 'GroupID'],
      label: 'groups',
    })) {
      yield {
        departmentId: r.DepartmentID!,
        id: r.GroupID!,
        name: r.GroupName,
        description: r.GroupDescription,
        deleted: b(r.IsDeleted),
        frontLine: b(r.IsFrontLine),
        internal: b(r.IsInternal),
      };
    }
  }

  // ---------- people ----------

  private userSelect() {
    return this.q.columns('Users', 'u', [
      'UserID',
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
      'IsQueue',
    ] as const);
  }

  /** Users of one kind, page by page (the page is what role/group look-ups are batched on). */
  private userPages(kind: UserKind) {
    return this.q.pages({
      select: this.userSelect(),
      from: this.q.table('Users', 'u'),
      where: (p) => [this.userCondition(kind, p)],
      keys: ['UserID'],
      label: `users (${kind})`,
    });
  }

  private async rolesOf(lo: number, hi: number): Promise<Map<number, string[]>> {
    const q = this.q;
    const rows = await q.all(
      {
        UserID: { expr: q.col('UsersInRoles', 'UserID', 'ur'), type: 'int' },
        RoleName: { expr: q.col('Roles', 'RoleName', 'r'), type: 'text' },
      },
      `${q.table('UsersInRoles', 'ur')} JOIN ${q.table('Roles', 'r')} ON ${q.col('Roles', 'RoleID', 'r')} = ${q.col('UsersInRoles', 'RoleID', 'ur')}`,
      (p) =>
        `WHERE ${q.col('UsersInRoles', 'UserID', 'ur')} BETWEEN ${p.add(lo)} AND ${p.add(hi)} ORDER BY ${q.col('UsersInRoles', 'UserID', 'ur')}, ${q.col('Roles', 'RoleID', 'r')}`,
      'user roles',
    );
    return groupBy(
      rows,
      (r) => r.UserID!,
      (r) => r.RoleName ?? '',
    );
  }

  private mapUser<K extends UserKind>(r: RowOf<ReturnType<SqlSourceReader['userSelect']>>, kind: K, roles: string[]) {
    return {
      kind,
      id: r.UserID!,
      userName: r.UserName,
      email: r.Email,
      displayName: r.DisplayName,
      phone: r.PhoneNumber,
      language: r.Language,
      createdAt: r.DateCreatedUTC,
      lastLoginAt: r.DateLastLoginUTC,
      deleted: b(r.IsDeleted),
      emailVerified: b(r.IsEmailVerified),
      lockedOut: b(r.IsLockedOut),
      roleNames: roles,
    };
  }

  async *agents(): AsyncIterable<Agent> {
    const q = this.q;
    for await (const page of this.userPages('agent')) {
      const lo = page[0]!.UserID!;
      const hi = page[page.length - 1]!.UserID!;
      const roles = await this.rolesOf(lo, hi);
      let groups = new Map<number, Agent['groups']>();
      if (q.has('UsersInGroups')) {
        const select = q.columns('UsersInGroups', 'g', [
          'UserID',
          'DepartmentID',
          'GroupID',
          'IsGroupAdmin',
          'IsActiveForTickets',
          'IsActiveForChats',
          'RoundRobinOrder',
        ] as const);
        const rows = await q.all(
          select,
          q.table('UsersInGroups', 'g'),
          (p) =>
            `WHERE ${select.UserID.expr} BETWEEN ${p.add(lo)} AND ${p.add(hi)} ORDER BY ${select.UserID.expr}, ${select.DepartmentID.expr}, ${select.GroupID.expr}`,
          'user groups',
        );
        groups = groupBy(
          rows,
          (r) => r.UserID!,
          (r) => ({
            departmentId: r.DepartmentID!,
            groupId: r.GroupID!,
            isGroupAdmin: b(r.IsGroupAdmin),
            activeForTickets: b(r.IsActiveForTickets),
            activeForChats: b(r.IsActiveForChats),
            roundRobinOrder: r.RoundRobinOrder,
          }),
        );
      }
      for (const r of page) {
        yield {
          ...this.mapUser(r, 'agent', roles.get(r.UserID!) ?? []),
          primaryAdmin: b(r.IsPrimaryAdmin),
          groups: groups.get(r.UserID!) ?? [],
        };
      }
    }
  }

  async *endUsers(): AsyncIterable<EndUser> {
    for await (const page of this.userPages('endUser')) {
      const roles = await this.rolesOf(page[0]!.UserID!, page[page.length - 1]!.UserID!);
      for (const r of page) yield this.mapUser(r, 'endUser', roles.get(r.UserID!) ?? []);
    }
  }

  async *queueUsers(): AsyncIterable<QueueUser> {
    for await (const page of this.userPages('queue')) {
      const roles = await this.rolesOf(page[0]!.UserID!, page[page.length - 1]!.UserID!);
      for (const r of page) yield this.mapUser(r, 'queue', roles.get(r.UserID!) ?? []);
    }
  }

  async *organizations(): AsyncIterable<Organization> {
    const q = this.q;
    if (!q.has('Organizations')) return;
    const select = q.columns('Organizations', 'o', [
      'OrganizationID',
      'OrganizationName',
      'Website',
      'PhoneNumber',
    ] as const);
    for await (const page of q.pages({
      select,
      from: q.table('Organizations', 'o'),
      keys: ['OrganizationID'],
      label: 'organizations',
    })) {
      let filters = new Map<number, Organization['filters']>();
      if (q.has('OrganizationFilters')) {
        const fs = q.columns('OrganizationFilters', 'f', [
          'OrganizationFilterID',
          'OrganizationID',
          'FilterType',
          'FilterValue',
          'UserID',
        ] as const);
        const rows = await q.all(
          fs,
          q.table('OrganizationFilters', 'f'),
          (p) =>
            `WHERE ${fs.OrganizationID.expr} BETWEEN ${p.add(page[0]!.OrganizationID)} AND ${p.add(page[page.length - 1]!.OrganizationID)} ORDER BY ${fs.OrganizationID.expr}, ${fs.OrganizationFilterID.expr}`,
          'organization filters',
        );
        filters = groupBy(
          rows,
          (r) => r.OrganizationID!,
          (r) => ({
            id: r.OrganizationFilterID!,
            type: r.FilterType,
            kind: organizationFilterKind(r.FilterType),
            value: r.FilterValue,
            userId: r.UserID,
          }),
        );
      }
      for (const r of page) {
        yield {
          id: r.OrganizationID!,
          name: r.OrganizationName,
          website: r.Website,
          phone: r.PhoneNumber,
          filters: filters.get(r.OrganizationID!) ?? [],
        };
      }
    }
  }

  async *organizationMemberships(): AsyncIterable<OrganizationMembership> {
    const filters: Pick<Organization, 'id' | 'filters'>[] = [];
    for await (const org of this.organizations())
      if (org.filters.length) filters.push({ id: org.id, filters: org.filters });
    const matcher = new MembershipMatcher(filters);
    if (matcher.isEmpty) return;
    for await (const page of this.userPages('endUser')) {
      for (const r of page) yield* matcher.match({ id: r.UserID!, email: r.Email, phone: r.PhoneNumber });
    }
  }

  // ---------- custom fields ----------

  async *customFields(): AsyncIterable<CustomField> {
    const q = this.q;
    if (!q.has('CustomDataFields')) return;
    const templateNames = new Map<number, string | null>();
    if (q.has('CustomTemplates')) {
      for await (const r of q.rows({
        select: q.columns('CustomTemplates', 'x', ['CustomTemplateID', 'DisplayName'] as const),
        from: q.table('CustomTemplates', 'x'),
        keys: ['CustomTemplateID'],
        label: 'custom templates',
      })) {
        templateNames.set(r.CustomTemplateID!, r.DisplayName);
      }
    }
    const departmentsByTemplate = new Map<number, { departmentId: number; channel: CustomFieldChannel }[]>();
    for await (const d of this.departments()) {
      for (const channel of ['ticket', 'chat', 'callLog'] as const) {
        const templateId = d.templateIds[channel];
        if (templateId === null) continue;
        const list = departmentsByTemplate.get(templateId) ?? [];
        list.push({ departmentId: d.id, channel });
        departmentsByTemplate.set(templateId, list);
      }
    }
    let uses = new Map<number, CustomFieldTemplateUse[]>();
    if (q.has('CustomDataFieldsInCustomTemplates')) {
      const select = q.columns('CustomDataFieldsInCustomTemplates', 'x', [
        'CustomTemplateID',
        'CustomFieldID',
        'DisplayName',
        'IsVisible',
        'IsRequired',
        'SortOrder',
        'IsVisibleToAgents',
        'IsRequiredToAgentRespondTicket',
        'IsRequiredToAgentCloseTicket',
        'ConditionalCustomFieldID',
        'ConditionalValues',
      ] as const);
      const rows: RowOf<typeof select>[] = [];
      for await (const r of q.rows({
        select,
        from: q.table('CustomDataFieldsInCustomTemplates', 'x'),
        keys: ['CustomTemplateID', 'CustomFieldID'],
        label: 'template fields',
      }))
        rows.push(r);
      uses = groupBy(
        rows,
        (r) => r.CustomFieldID!,
        (r) => ({
          templateId: r.CustomTemplateID!,
          templateName: templateNames.get(r.CustomTemplateID!) ?? null,
          displayName: r.DisplayName,
          sortOrder: r.SortOrder,
          visible: b(r.IsVisible),
          visibleToAgents: b(r.IsVisibleToAgents),
          required: b(r.IsRequired),
          requiredToRespond: b(r.IsRequiredToAgentRespondTicket),
          requiredToClose: b(r.IsRequiredToAgentCloseTicket),
          conditionalFieldId: r.ConditionalCustomFieldID,
          conditionalValues: splitLines(r.ConditionalValues),
          departments: departmentsByTemplate.get(r.CustomTemplateID!) ?? [],
        }),
      );
    }
    const select = q.columns('CustomDataFields', 'x', [
      'CustomFieldID',
      'DisplayName',
      'DataType',
      'DefaultValue',
      'Options',
      'IsGlobal',
    ] as const);
    for await (const r of q.rows({
      select,
      from: q.table('CustomDataFields', 'x'),
      keys: ['CustomFieldID'],
      label: 'custom fields',
    })) {
      const dataType = r.DataType ?? -1;
      yield {
        id: r.CustomFieldID!,
        name: r.DisplayName,
        dataType,
        kind: customFieldKind(dataType),
        defaultValue: r.DefaultValue,
        options: splitLines(r.Options),
        isGlobal: b(r.IsGlobal),
        templates: uses.get(r.CustomFieldID!) ?? [],
      };
    }
  }

  async *customFieldValues(): AsyncIterable<CustomFieldValue> {
    const q = this.q;
    const channels = [
      ['ticket', 'CustomDataFieldsInTickets', 'TicketID'],
      ['chat', 'CustomDataFieldsInChats', 'ChatID'],
      ['callLog', 'CustomDataFieldsInCallLogs', 'CallLogID'],
      ['user', 'CustomDataFieldsForUsers', 'UserID'],
    ] as const;
    for (const [channel, table, recordColumn] of channels) {
      if (!q.has(table)) continue;
      const select = {
        RecordID: { expr: q.col(table, recordColumn as never, 'x'), type: 'int' },
        CustomFieldID: { expr: q.col(table, 'CustomFieldID', 'x'), type: 'int' },
        DataContent: { expr: q.col(table, 'DataContent', 'x'), type: 'text' },
      } as const satisfies Selection;
      for await (const r of q.rows({
        select,
        from: q.table(table, 'x'),
        keys: ['RecordID', 'CustomFieldID'],
        label: table,
      })) {
        yield { channel, recordId: r.RecordID!, fieldId: r.CustomFieldID!, value: r.DataContent };
      }
    }
  }

  // ---------- lookups ----------

  async *ticketStatuses(): AsyncIterable<TicketStatus> {
    const q = this.q;
    if (!q.has('TicketStatuses')) return;
    const select = q.columns('TicketStatuses', 'x', [
      'TicketStatusID',
      'EnglishName',
      'DisplayName',
      'SortOrder',
      'IsOpen',
      'IsActive',
      'IsLocked',
    ] as const);
    for await (const r of q.rows({
      select,
      from: q.table('TicketStatuses', 'x'),
      keys: ['TicketStatusID'],
      label: 'ticket statuses',
    })) {
      yield {
        id: r.TicketStatusID!,
        name: r.EnglishName,
        displayName: r.DisplayName,
        sortOrder: r.SortOrder,
        isOpen: b(r.IsOpen),
        isActive: b(r.IsActive),
        isLocked: b(r.IsLocked),
      };
    }
  }

  async *ticketPriorities(): AsyncIterable<TicketPriority> {
    const q = this.q;
    if (!q.has('TicketPriorities')) return;
    const select = q.columns('TicketPriorities', 'x', [
      'TicketPriorityID',
      'EnglishName',
      'DisplayName',
      'SortOrder',
    ] as const);
    for await (const r of q.rows({
      select,
      from: q.table('TicketPriorities', 'x'),
      keys: ['TicketPriorityID'],
      label: 'ticket priorities',
    })) {
      yield { id: r.TicketPriorityID!, name: r.EnglishName, displayName: r.DisplayName, sortOrder: r.SortOrder };
    }
  }

  async *commentTypes(): AsyncIterable<CommentType> {
    const q = this.q;
    if (!q.has('CommentTypes')) return;
    const select = q.columns('CommentTypes', 'x', ['CommentTypeID', 'EnglishName', 'DisplayName'] as const);
    for await (const r of q.rows({
      select,
      from: q.table('CommentTypes', 'x'),
      keys: ['CommentTypeID'],
      label: 'comment types',
    })) {
      yield { id: r.CommentTypeID!, name: r.EnglishName, displayName: r.DisplayName };
    }
  }

  // ---------- tickets ----------

  private ticketQuery() {
    const q = this.q;
    const select = {
      ...q.columns('Tickets', 't', [
        'TicketID',
        'TicketNumber',
        'Subject',
        'TicketStatusID',
        'TicketPriorityID',
        'DepartmentID',
        'GroupID',
        'UserID',
        'UserID_Customer',
        'CustomerEmailAddress',
        'DateOpenedUTC',
        'DateClosedUTC',
        'DateDeletedUTC',
        'IsDeleted',
        'IsSpam',
      ] as const),
      StatusName: {
        expr: q.has('TicketStatuses') ? q.col('TicketStatuses', 'EnglishName', 's') : 'NULL',
        type: 'text',
      },
      StatusIsOpen: { expr: q.has('TicketStatuses') ? q.col('TicketStatuses', 'IsOpen', 's') : 'NULL', type: 'bool' },
      PriorityName: {
        expr: q.has('TicketPriorities') ? q.col('TicketPriorities', 'EnglishName', 'pr') : 'NULL',
        type: 'text',
      },
      BrandID: { expr: q.col('Departments', 'BrandID', 'd'), type: 'int' },
      AssigneeIsQueue: { expr: q.col('Users', 'IsQueue', 'a'), type: 'bool' },
    } as const satisfies Selection;
    let from = `${q.table('Tickets', 't')}`;
    if (q.has('TicketStatuses'))
      from += ` LEFT JOIN ${q.table('TicketStatuses', 's')} ON ${q.col('TicketStatuses', 'TicketStatusID', 's')} = ${select.TicketStatusID.expr}`;
    if (q.has('TicketPriorities'))
      from += ` LEFT JOIN ${q.table('TicketPriorities', 'pr')} ON ${q.col('TicketPriorities', 'TicketPriorityID', 'pr')} = ${select.TicketPriorityID.expr}`;
    from += ` LEFT JOIN ${q.table('Departments', 'd')} ON ${q.col('Departments', 'DepartmentID', 'd')} = ${select.DepartmentID.expr}`;
    from += ` LEFT JOIN ${q.table('Users', 'a')} ON ${q.col('Users', 'UserID', 'a')} = ${select.UserID.expr}`;
    return { select, from };
  }

  private async mergesOf(lo: number, hi: number): Promise<Map<number, string[]>> {
    const q = this.q;
    if (!q.has('TicketMerges')) return new Map();
    const select = q.columns('TicketMerges', 'x', ['TicketID', 'TicketNumber'] as const);
    const rows = await q.all(
      select,
      q.table('TicketMerges', 'x'),
      (p) =>
        `WHERE ${select.TicketID.expr} BETWEEN ${p.add(lo)} AND ${p.add(hi)} AND ${select.TicketNumber.expr} IS NOT NULL ORDER BY ${select.TicketID.expr}, ${select.TicketNumber.expr}`,
      'ticket merges',
    );
    return groupBy(
      rows,
      (r) => r.TicketID!,
      (r) => r.TicketNumber!,
    );
  }

  private async *ticketPages(extraWhere?: (p: { add(v: unknown): string }) => string[]): AsyncGenerator<Ticket[]> {
    const { select, from } = this.ticketQuery();
    const q = this.q;
    const pages = q.pages({
      select,
      from,
      keys: ['TicketID'],
      label: 'tickets',
      ...(extraWhere ? { where: extraWhere } : {}),
    });
    for await (const page of pages) {
      const merges = await this.mergesOf(page[0]!.TicketID!, page[page.length - 1]!.TicketID!);
      yield page.map((r) => ({
        id: r.TicketID!,
        number: r.TicketNumber,
        subject: r.Subject,
        statusId: r.TicketStatusID,
        statusName: r.StatusName,
        statusIsOpen: r.StatusIsOpen,
        priorityId: r.TicketPriorityID,
        priorityName: r.PriorityName,
        departmentId: r.DepartmentID,
        groupId: r.GroupID,
        brandId: r.BrandID,
        assignedAgentId: r.AssigneeIsQueue ? null : r.UserID,
        customerUserId: r.UserID_Customer,
        customerEmail: r.CustomerEmailAddress,
        openedAt: r.DateOpenedUTC,
        closedAt: r.DateClosedUTC,
        deletedAt: r.DateDeletedUTC,
        deleted: b(r.IsDeleted),
        spam: b(r.IsSpam),
        mergedNumbers: merges.get(r.TicketID!) ?? [],
      }));
    }
  }

  async *tickets(): AsyncIterable<Ticket> {
    for await (const page of this.ticketPages()) yield* page;
  }

  private messageSelect() {
    return this.q.columns('TicketMessages', 'm', [
      'TicketMessageID',
      'TicketID',
      'DateReceivedUTC',
      'UserID_From',
      'Subject',
      'BodyText',
      'BodyHTML',
      'MessageDirection',
      'FromAddress',
      'ToAddress',
      'CcAddresses',
      'IsDraft',
    ] as const);
  }

  private mapMessage(r: RowOf<ReturnType<SqlSourceReader['messageSelect']>>): TicketMessage {
    const direction =
      r.MessageDirection === MessageDirection.INBOUND
        ? 'inbound'
        : r.MessageDirection === MessageDirection.OUTBOUND
          ? 'outbound'
          : null;
    return {
      id: r.TicketMessageID!,
      ticketId: r.TicketID!,
      direction,
      fromUserId: r.UserID_From,
      fromAddress: r.FromAddress,
      toAddress: r.ToAddress,
      ccAddresses: r.CcAddresses,
      subject: r.Subject,
      bodyHtml: r.BodyHTML,
      bodyText: r.BodyText,
      draft: b(r.IsDraft),
      date: r.DateReceivedUTC,
    };
  }

  async *ticketMessages(): AsyncIterable<TicketMessage> {
    const q = this.q;
    for await (const r of q.rows({
      select: this.messageSelect(),
      from: q.table('TicketMessages', 'm'),
      keys: ['TicketMessageID'],
      label: 'ticket messages',
    })) {
      yield this.mapMessage(r);
    }
  }

  private commentQuery() {
    const q = this.q;
    const select = {
      ...q.columns('TicketComments', 'c', [
        'TicketCommentID',
        'TicketID',
        'CommentTypeID',
        'UserID',
        'DateEnteredUTC',
        'CommentText',
      ] as const),
      TypeName: { expr: q.has('CommentTypes') ? q.col('CommentTypes', 'EnglishName', 'ct') : 'NULL', type: 'text' },
    } as const satisfies Selection;
    let from = q.table('TicketComments', 'c');
    if (q.has('CommentTypes'))
      from += ` LEFT JOIN ${q.table('CommentTypes', 'ct')} ON ${q.col('CommentTypes', 'CommentTypeID', 'ct')} = ${select.CommentTypeID.expr}`;
    return { select, from };
  }

  private mapComment(r: RowOf<ReturnType<SqlSourceReader['commentQuery']>['select']>): TicketComment {
    return {
      id: r.TicketCommentID!,
      ticketId: r.TicketID!,
      typeId: r.CommentTypeID,
      typeName: r.TypeName,
      authorUserId: r.UserID,
      text: r.CommentText,
      date: r.DateEnteredUTC,
    };
  }

  async *ticketComments(): AsyncIterable<TicketComment> {
    if (!this.q.has('TicketComments')) return;
    const { select, from } = this.commentQuery();
    for await (const r of this.q.rows({ select, from, keys: ['TicketCommentID'], label: 'ticket comments' }))
      yield this.mapComment(r);
  }

  /**
   * Per page of tickets, a merge-join with the messages, comments and attachments of that id range,
   * each read in keyset pages ordered by ticket id: memory stays bounded by the page size however
   * long a thread is, and every query is an index range on TicketID.
   */
  async *ticketThreads(): AsyncIterable<TicketThread> {
    const q = this.q;
    type CommentRow = RowOf<ReturnType<SqlSourceReader['commentQuery']>['select']>;
    for await (const page of this.ticketPages()) {
      const lo = page[0]!.id;
      const hi = page[page.length - 1]!.id;
      const inRange = (expr: string) => (p: { add(v: unknown): string }) => [
        `${expr} BETWEEN ${p.add(lo)} AND ${p.add(hi)}`,
      ];
      const ms = this.messageSelect();
      const messages = groupByTicket(
        q.rows({
          select: ms,
          from: q.table('TicketMessages', 'm'),
          where: inRange(ms.TicketID.expr),
          keys: ['TicketID', 'TicketMessageID'],
          label: 'ticket messages',
        }),
        (r) => r.TicketID!,
      );
      let commentRows = empty<CommentRow>();
      if (q.has('TicketComments')) {
        const cq = this.commentQuery();
        commentRows = q.rows({
          ...cq,
          where: inRange(cq.select.TicketID.expr),
          keys: ['TicketID', 'TicketCommentID'],
          label: 'ticket comments',
        });
      }
      const comments = groupByTicket<CommentRow>(commentRows, (r) => r.TicketID!);
      const attachments = groupByTicket(
        this.ticketAttachmentRows(['TicketID', 'TicketAttachmentID'], inRange),
        (r) => r.TicketID!,
      );
      try {
        for (const ticket of page) {
          const m = await messages.take(ticket.id);
          const c = await comments.take(ticket.id);
          const a = await attachments.take(ticket.id);
          yield buildThread(
            ticket,
            m.map((r) => this.mapMessage(r)),
            c.map((r) => this.mapComment(r)),
            a.map((r) => this.mapTicketAttachment(r)),
          );
        }
      } finally {
        await Promise.all([messages.close(), comments.close(), attachments.close()]);
      }
    }
  }

  async ticketThread(ticketId: number): Promise<TicketThread | null> {
    const q = this.q;
    let ticket: Ticket | undefined;
    for await (const page of this.ticketPages((p) => [`${q.col('Tickets', 'TicketID', 't')} = ${p.add(ticketId)}`]))
      ticket = page[0];
    if (!ticket) return null;
    const ms = this.messageSelect();
    const m = await q.all(
      ms,
      q.table('TicketMessages', 'm'),
      (p) => `WHERE ${ms.TicketID.expr} = ${p.add(ticketId)}`,
      'ticket messages',
    );
    let c: TicketComment[] = [];
    if (q.has('TicketComments')) {
      const cq = this.commentQuery();
      c = (
        await q.all(
          cq.select,
          cq.from,
          (p) => `WHERE ${cq.select.TicketID.expr} = ${p.add(ticketId)}`,
          'ticket comments',
        )
      ).map((r) => this.mapComment(r));
    }
    let a: Attachment[] = [];
    if (q.has('TicketAttachments')) {
      const as = this.ticketAttachmentSelect();
      a = (
        await q.all(
          as,
          q.table('TicketAttachments', 'x'),
          (p) => `WHERE ${as.TicketID.expr} = ${p.add(ticketId)}`,
          'ticket attachments',
        )
      ).map((r) => this.mapTicketAttachment(r));
    }
    return buildThread(
      ticket,
      m.map((r) => this.mapMessage(r)),
      c,
      a,
    );
  }

  // ---------- attachments ----------

  private ticketAttachmentSelect() {
    return this.q.columns('TicketAttachments', 'x', [
      'TicketAttachmentID',
      'TicketID',
      'TicketMessageID',
      'UserID',
      'FileNameOriginal',
      'FileNameOnDisk',
      'CidTagName',
      'Length',
      'CreationDateUTC',
      'IsDeleted',
    ] as const);
  }

  private ticketAttachmentRows(
    keys: ('TicketID' | 'TicketAttachmentID')[],
    range?: (ticketIdExpr: string) => (p: { add(v: unknown): string }) => string[],
  ) {
    if (!this.q.has('TicketAttachments')) return empty<RowOf<ReturnType<SqlSourceReader['ticketAttachmentSelect']>>>();
    const select = this.ticketAttachmentSelect();
    const where = range?.(select.TicketID.expr);
    return this.q.rows({
      select,
      from: this.q.table('TicketAttachments', 'x'),
      keys,
      label: 'ticket attachments',
      ...(where ? { where } : {}),
    });
  }

  private attachment(
    kind: AttachmentOwnerKind,
    r: {
      id: number;
      ownerId: number;
      messageId: number | null;
      userId: number | null;
      original: string | null;
      onDisk: string | null;
      cid: string | null;
      length: number | null;
      created: string | null;
      deleted: boolean | null;
    },
  ): Attachment {
    const resolved = resolveAttachmentPath(this.attachmentsRoot, kind, r.onDisk);
    return {
      id: r.id,
      owner: { kind, id: r.ownerId },
      messageId: r.messageId,
      userId: r.userId,
      originalName: r.original,
      fileNameOnDisk: r.onDisk,
      path: resolved.path,
      pathStatus: resolved.status,
      length: r.length,
      cidTag: r.cid,
      deleted: b(r.deleted),
      createdAt: r.created,
    };
  }

  private mapTicketAttachment(r: RowOf<ReturnType<SqlSourceReader['ticketAttachmentSelect']>>): Attachment {
    return this.attachment('ticket', {
      id: r.TicketAttachmentID!,
      ownerId: r.TicketID!,
      messageId: r.TicketMessageID,
      userId: r.UserID,
      original: r.FileNameOriginal,
      onDisk: r.FileNameOnDisk,
      cid: r.CidTagName,
      length: r.Length,
      created: r.CreationDateUTC,
      deleted: r.IsDeleted,
    });
  }

  async *attachments(): AsyncIterable<Attachment> {
    const q = this.q;
    for await (const r of this.ticketAttachmentRows(['TicketAttachmentID'])) yield this.mapTicketAttachment(r);
    for (const [kind, table, idColumn, ownerColumn] of [
      ['chat', 'ChatAttachments', 'ChatAttachmentID', 'ChatID'],
      ['callLog', 'CallLogAttachments', 'CallLogAttachmentID', 'CallLogID'],
    ] as const) {
      if (!q.has(table)) continue;
      const select = {
        ID: { expr: q.col(table, idColumn as never, 'x'), type: 'int' },
        OwnerID: { expr: q.col(table, ownerColumn as never, 'x'), type: 'int' },
        ...q.columns(table, 'x', [
          'UserID',
          'FileNameOriginal',
          'FileNameOnDisk',
          'Length',
          'CreationDateUTC',
          'IsDeleted',
        ] as const),
      } as const satisfies Selection;
      for await (const r of q.rows({ select, from: q.table(table, 'x'), keys: ['ID'], label: table })) {
        yield this.attachment(kind, {
          id: r.ID!,
          ownerId: r.OwnerID!,
          messageId: null,
          userId: r.UserID,
          original: r.FileNameOriginal,
          onDisk: r.FileNameOnDisk,
          cid: null,
          length: r.Length,
          created: r.CreationDateUTC,
          deleted: r.IsDeleted,
        });
      }
    }
  }

  // ---------- chats and calls ----------

  async *liveChats(): AsyncIterable<LiveChat> {
    const q = this.q;
    if (!q.has('Chats')) return;
    const select = q.columns('Chats', 'x', [
      'ChatID',
      'ChatNumber',
      'DepartmentID',
      'GroupID',
      'UserID',
      'CustomerUserID',
      'CustomerDisplayName',
      'CustomerEmailAddress',
      'InitialQuestion',
      'DateStartedUTC',
      'DateEndedUTC',
      'DateDeletedUTC',
      'IsDeleted',
    ] as const);
    for await (const r of q.rows({ select, from: q.table('Chats', 'x'), keys: ['ChatID'], label: 'chats' })) {
      yield {
        id: r.ChatID!,
        number: r.ChatNumber,
        departmentId: r.DepartmentID,
        groupId: r.GroupID,
        agentUserId: r.UserID,
        customerUserId: r.CustomerUserID,
        customerName: r.CustomerDisplayName,
        customerEmail: r.CustomerEmailAddress,
        initialQuestion: r.InitialQuestion,
        startedAt: r.DateStartedUTC,
        endedAt: r.DateEndedUTC,
        deletedAt: r.DateDeletedUTC,
        deleted: b(r.IsDeleted),
      };
    }
  }

  async *chatMessages(): AsyncIterable<ChatMessage> {
    const q = this.q;
    if (!q.has('ChatMessages')) return;
    const select = q.columns('ChatMessages', 'x', [
      'ChatMessageID',
      'ChatID',
      'UserID',
      'DateSubmittedUTC',
      'ChatSenderType',
      'TextSubmitted',
      'ViewRestriction',
      'IsHTML',
    ] as const);
    for await (const r of q.rows({
      select,
      from: q.table('ChatMessages', 'x'),
      keys: ['ChatMessageID'],
      label: 'chat messages',
    })) {
      yield {
        id: r.ChatMessageID!,
        chatId: r.ChatID!,
        userId: r.UserID,
        senderType: senderType(r.ChatSenderType),
        agentOnly: r.ViewRestriction !== null && r.ViewRestriction !== ViewRestriction.EVERYONE,
        isHtml: b(r.IsHTML),
        text: r.TextSubmitted,
        date: r.DateSubmittedUTC,
      };
    }
  }

  async *callLogs(): AsyncIterable<CallLog> {
    const q = this.q;
    if (!q.has('CallLogs')) return;
    const select = q.columns('CallLogs', 'x', [
      'CallLogID',
      'CallNumber',
      'DepartmentID',
      'GroupID',
      'UserID',
      'CustomerUserID',
      'CustomerName',
      'CustomerPhoneNumber',
      'CustomerEmailAddress',
      'Subject',
      'Description',
      'IsOutgoing',
      'IsDeleted',
      'DateStartUTC',
      'DateEndUTC',
      'DateCreatedUTC',
      'DateModifiedUTC',
      'DateDeletedUTC',
    ] as const);
    for await (const r of q.rows({ select, from: q.table('CallLogs', 'x'), keys: ['CallLogID'], label: 'call logs' })) {
      yield {
        id: r.CallLogID!,
        number: r.CallNumber,
        departmentId: r.DepartmentID,
        groupId: r.GroupID,
        agentUserId: r.UserID,
        customerUserId: r.CustomerUserID,
        customerName: r.CustomerName,
        customerPhone: r.CustomerPhoneNumber,
        customerEmail: r.CustomerEmailAddress,
        subject: r.Subject,
        description: r.Description,
        outgoing: b(r.IsOutgoing),
        deleted: b(r.IsDeleted),
        startedAt: r.DateStartUTC,
        endedAt: r.DateEndUTC,
        createdAt: r.DateCreatedUTC,
        modifiedAt: r.DateModifiedUTC,
        deletedAt: r.DateDeletedUTC,
      };
    }
  }

  // ---------- knowledge base, tags ----------

  async *kbCategories(): AsyncIterable<KbCategory> {
    const q = this.q;
    if (!q.has('KbCategories')) return;
    const select = q.columns('KbCategories', 'x', [
      'KBCategoryID',
      'KBCategoryID_Parent',
      'CategoryName',
      'IsPrivate',
      'IsVisible',
    ] as const);
    for await (const r of q.rows({
      select,
      from: q.table('KbCategories', 'x'),
      keys: ['KBCategoryID'],
      label: 'kb categories',
    })) {
      yield {
        id: r.KBCategoryID!,
        parentId: r.KBCategoryID_Parent,
        name: r.CategoryName,
        private: b(r.IsPrivate),
        visible: r.IsVisible,
      };
    }
  }

  async *kbArticles(): AsyncIterable<KbArticle> {
    const q = this.q;
    if (!q.has('KbArticles')) return;
    const select = q.columns('KbArticles', 'x', [
      'KBArticleID',
      'KBCategoryID',
      'Subject',
      'Body',
      'Summary',
      'IsPrivate',
      'IsDraft',
      'IsDeleted',
      'IsFlaggedForReview',
      'DisplayInAllBrands',
      'UserID',
      'DateCreatedUTC',
      'DateModifiedUTC',
    ] as const);
    for await (const page of q.pages({
      select,
      from: q.table('KbArticles', 'x'),
      keys: ['KBArticleID'],
      label: 'kb articles',
    })) {
      let brands = new Map<number, number[]>();
      if (q.has('KbArticlesBrands')) {
        const bs = q.columns('KbArticlesBrands', 'y', ['KBArticleID', 'BrandID'] as const);
        const rows = await q.all(
          bs,
          q.table('KbArticlesBrands', 'y'),
          (p) =>
            `WHERE ${bs.KBArticleID.expr} BETWEEN ${p.add(page[0]!.KBArticleID)} AND ${p.add(page[page.length - 1]!.KBArticleID)} ORDER BY ${bs.KBArticleID.expr}, ${bs.BrandID.expr}`,
          'kb article brands',
        );
        brands = groupBy(
          rows,
          (r) => r.KBArticleID!,
          (r) => r.BrandID!,
        );
      }
      for (const r of page) {
        yield {
          id: r.KBArticleID!,
          categoryId: r.KBCategoryID,
          subject: r.Subject,
          bodyHtml: r.Body,
          summary: r.Summary,
          private: b(r.IsPrivate),
          draft: b(r.IsDraft),
          deleted: b(r.IsDeleted),
          flaggedForReview: b(r.IsFlaggedForReview),
          displayInAllBrands: r.DisplayInAllBrands,
          brandIds: brands.get(r.KBArticleID!) ?? [],
          authorUserId: r.UserID,
          createdAt: r.DateCreatedUTC,
          modifiedAt: r.DateModifiedUTC,
        };
      }
    }
  }

  async *tags(): AsyncIterable<Tag> {
    const q = this.q;
    if (!q.has('Tags')) return;
    const select = q.columns('Tags', 'x', ['TagID', 'Name', 'IsDeleted', 'DateCreatedUTC'] as const);
    for await (const r of q.rows({ select, from: q.table('Tags', 'x'), keys: ['TagID'], label: 'tags' })) {
      yield { id: r.TagID!, name: r.Name, deleted: b(r.IsDeleted), createdAt: r.DateCreatedUTC };
    }
  }

  // ---------- automation ----------

  async *automationRules(): AsyncIterable<AutomationRule> {
    const q = this.q;
    if (!q.has('Events')) return;
    const select = q.columns('Events', 'e', [
      'EventID',
      'Name',
      'EventGroup',
      'IsActive',
      'Enabled',
      'IsRepeating',
      'DateLastModifiedUTC',
    ] as const);
    for await (const page of q.pages({ select, from: q.table('Events', 'e'), keys: ['EventID'], label: 'events' })) {
      const lo = page[0]!.EventID!;
      const hi = page[page.length - 1]!.EventID!;
      let conditions = new Map<number, AutomationRule['conditions']>();
      if (q.has('EventConditions')) {
        const cs = q.columns('EventConditions', 'c', [
          'EventConditionID',
          'EventID',
          'EventKey',
          'EventType',
          'EventCondition',
          'EventValue1',
          'EventValue2',
        ] as const);
        const rows = await q.all(
          cs,
          q.table('EventConditions', 'c'),
          (p) => `WHERE ${cs.EventID.expr} BETWEEN ${p.add(lo)} AND ${p.add(hi)} ORDER BY ${cs.EventConditionID.expr}`,
          'event conditions',
        );
        conditions = groupBy(
          rows,
          (r) => r.EventID!,
          (r) => ({
            id: r.EventConditionID!,
            key: r.EventKey,
            type: r.EventType,
            condition: r.EventCondition,
            value1: r.EventValue1,
            value2: r.EventValue2,
          }),
        );
      }
      let actions = new Map<number, AutomationRule['actions']>();
      if (q.has('EventActions')) {
        const as = q.columns('EventActions', 'a', ['EventActionID', 'EventID', 'EventKey'] as const);
        const rows = await q.all(
          as,
          q.table('EventActions', 'a'),
          (p) => `WHERE ${as.EventID.expr} BETWEEN ${p.add(lo)} AND ${p.add(hi)} ORDER BY ${as.EventActionID.expr}`,
          'event actions',
        );
        let inputs = new Map<number, { key: string | null; value: string | null }[]>();
        if (q.has('EventInputs')) {
          const is = q.columns('EventInputs', 'i', [
            'EventInputID',
            'EventActionID',
            'EventKey',
            'EventValue',
          ] as const);
          const inputRows = await q.all(
            is,
            `${q.table('EventInputs', 'i')} JOIN ${q.table('EventActions', 'a')} ON ${as.EventActionID.expr} = ${is.EventActionID.expr}`,
            (p) => `WHERE ${as.EventID.expr} BETWEEN ${p.add(lo)} AND ${p.add(hi)} ORDER BY ${is.EventInputID.expr}`,
            'event inputs',
          );
          inputs = groupBy(
            inputRows,
            (r) => r.EventActionID!,
            (r) => ({ key: r.EventKey, value: r.EventValue }),
          );
        }
        actions = groupBy(
          rows,
          (r) => r.EventID!,
          (r) => ({ id: r.EventActionID!, key: r.EventKey, inputs: inputs.get(r.EventActionID!) ?? [] }),
        );
      }
      for (const r of page) {
        yield {
          id: r.EventID!,
          name: r.Name,
          eventGroup: r.EventGroup,
          active: b(r.IsActive),
          enabled: r.Enabled,
          repeating: b(r.IsRepeating),
          lastModifiedAt: r.DateLastModifiedUTC,
          conditions: conditions.get(r.EventID!) ?? [],
          actions: actions.get(r.EventID!) ?? [],
        };
      }
    }
  }

  async close(): Promise<void> {
    await this.q.connection.close();
  }
}

function senderType(code: number | null): ChatMessage['senderType'] {
  switch (code) {
    case ChatSenderType.CUSTOMER:
      return 'customer';
    case ChatSenderType.AGENT:
      return 'agent';
    case ChatSenderType.SYSTEM:
      return 'system';
    default:
      return 'unknown';
  }
}

/** Options and conditional values are newline-separated lists. */
function splitLines(text: string | null): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function groupBy<R, V>(rows: readonly R[], key: (r: R) => number, value: (r: R) => V): Map<number, V[]> {
  const out = new Map<number, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(value(row));
    else out.set(k, [value(row)]);
  }
  return out;
}

// eslint-disable-next-line require-yield
async function* empty<T>(): AsyncGenerator<T> {
  return;
}
