import type { ObjectCounts } from '../../model/object-types';
import type { FlaggedRecord, FlagKind, LongValue, OrphanReference, SourceInsights, SourceVolumes } from '../reader';
import type { Params } from './query';
import type { LogicalTable } from './schema-spec';
import type { SqlSourceReader } from './sql-reader';

/**
 * Aggregates for the scope report, pushed down to SQL: counts, duplicates and long values come
 * back as numbers and flagged ids only, so the report never holds the data itself.
 */
export class SqlInsights implements SourceInsights {
  constructor(private readonly reader: SqlSourceReader) {}

  private get q() {
    return this.reader.q;
  }

  private async scalar(build: (p: Params) => string): Promise<number> {
    const rows = await this.q.raw(build);
    const value = rows[0] ? Object.values(rows[0])[0] : 0;
    return value === null || value === undefined ? 0 : Number(value);
  }

  private async rowCount(table: LogicalTable): Promise<number> {
    if (!this.q.has(table)) return 0;
    return this.scalar(() => `SELECT COUNT(*) AS n FROM ${this.q.table(table, 'x')}`);
  }

  private flag(expr: string): string {
    return `COALESCE(${expr}, 0) <> 0`;
  }

  async *flagged(kind: FlagKind): AsyncIterable<FlaggedRecord> {
    const q = this.q;
    const spec = <T extends LogicalTable>(
      table: T,
      id: string,
      parent: string | null,
      where: (p: Params) => string,
    ) => ({ table, id, parent, where });
    const specs = {
      deletedTickets: spec('Tickets', 'TicketID', null, () => this.flag(q.col('Tickets', 'IsDeleted', 'x'))),
      spamTickets: spec('Tickets', 'TicketID', null, () => this.flag(q.col('Tickets', 'IsSpam', 'x'))),
      draftMessages: spec('TicketMessages', 'TicketMessageID', 'TicketID', () =>
        this.flag(q.col('TicketMessages', 'IsDraft', 'x')),
      ),
      agentOnlyChatLines: spec(
        'ChatMessages',
        'ChatMessageID',
        'ChatID',
        (p) => `COALESCE(${q.col('ChatMessages', 'ViewRestriction', 'x')}, ${p.add(0)}) <> ${p.add(0)}`,
      ),
      privateArticles: spec('KbArticles', 'KBArticleID', null, () => this.flag(q.col('KbArticles', 'IsPrivate', 'x'))),
      draftArticles: spec('KbArticles', 'KBArticleID', null, () => this.flag(q.col('KbArticles', 'IsDraft', 'x'))),
      deletedArticles: spec('KbArticles', 'KBArticleID', null, () => this.flag(q.col('KbArticles', 'IsDeleted', 'x'))),
      deletedEndUsers: spec(
        'Users',
        'UserID',
        null,
        (p) => `${this.flag(q.col('Users', 'IsDeleted', 'x'))} AND ${this.reader.userCondition('endUser', p, 'x')}`,
      ),
    } satisfies Record<FlagKind, unknown>;
    const s = specs[kind];
    if (!q.has(s.table)) return;
    const select = {
      ID: { expr: q.col(s.table, s.id as never, 'x'), type: 'int' },
      ParentID: { expr: s.parent ? q.col(s.table, s.parent as never, 'x') : 'NULL', type: 'int' },
    } as const;
    for await (const row of q.rows({
      select,
      from: q.table(s.table, 'x'),
      where: (p) => [s.where(p)],
      keys: ['ID'],
      label: kind,
    })) {
      yield { id: row.ID!, parentId: row.ParentID };
    }
  }

  async counts(): Promise<ObjectCounts> {
    const q = this.q;
    const r = this.reader;
    const users = (kind: 'agent' | 'endUser') =>
      this.scalar((p) => `SELECT COUNT(*) AS n FROM ${q.table('Users', 'u')} WHERE ${r.userCondition(kind, p)}`);
    let memberships = 0;
    for await (const _ of r.organizationMemberships()) memberships++;
    const slaPolicies = await this.scalar(
      () =>
        `SELECT COUNT(*) AS n FROM ${q.table('Departments', 'd')} WHERE ${[
          'AutoCloseEnabled',
          'AutoLockEnabled',
          'AutoDeleteEnabled',
        ]
          .map((c) => this.flag(q.col('Departments', c as 'AutoCloseEnabled', 'd')))
          .join(' OR ')}`,
    );
    const sum = async (tables: LogicalTable[]) =>
      (await Promise.all(tables.map((t) => this.rowCount(t)))).reduce((a, n) => a + n, 0);
    return {
      brands: await this.rowCount('Brands'),
      departments: await this.rowCount('Departments'),
      groups: await this.rowCount('Groups'),
      agents: await users('agent'),
      endUsers: await users('endUser'),
      organizations: await this.rowCount('Organizations'),
      organizationMemberships: memberships,
      customFields: await this.rowCount('CustomDataFields'),
      customFieldValues: await sum([
        'CustomDataFieldsInTickets',
        'CustomDataFieldsInChats',
        'CustomDataFieldsInCallLogs',
        'CustomDataFieldsForUsers',
      ]),
      tickets: await this.rowCount('Tickets'),
      ticketMessages: await this.rowCount('TicketMessages'),
      ticketComments: await this.rowCount('TicketComments'),
      attachments: await sum(['TicketAttachments', 'ChatAttachments', 'CallLogAttachments']),
      liveChats: await this.rowCount('Chats'),
      chatMessages: await this.rowCount('ChatMessages'),
      callLogs: await this.rowCount('CallLogs'),
      kbCategories: await this.rowCount('KbCategories'),
      kbArticles: await this.rowCount('KbArticles'),
      tags: await this.rowCount('Tags'),
      automationRules: await this.rowCount('Events'),
      slaPolicies,
    };
  }

  async *duplicateEmails(): AsyncIterable<{ email: string; userIds: number[] }> {
    const q = this.q;
    const r = this.reader;
    const email = r.normalized(q.col('Users', 'Email', 'u'));
    const groups = await q.raw(
      (p) =>
        `SELECT ${email} AS email FROM ${q.table('Users', 'u')} WHERE ${r.userCondition('endUser', p)} AND ${email} <> '' ` +
        `GROUP BY ${email} HAVING COUNT(*) > 1 ORDER BY ${email}`,
    );
    for (const g of groups) {
      const value = String(g.email);
      const ids = await q.raw(
        (p) =>
          `SELECT ${q.col('Users', 'UserID', 'u')} AS id FROM ${q.table('Users', 'u')} WHERE ${r.userCondition('endUser', p)} AND ${email} = ${p.add(value)} ORDER BY ${q.col('Users', 'UserID', 'u')}`,
      );
      yield { email: value, userIds: ids.map((row) => Number(row.id)) };
    }
  }

  async *longCustomFieldValues(minLength: number): AsyncIterable<LongValue> {
    const q = this.q;
    for (const [channel, table, recordColumn] of [
      ['ticket', 'CustomDataFieldsInTickets', 'TicketID'],
      ['chat', 'CustomDataFieldsInChats', 'ChatID'],
      ['callLog', 'CustomDataFieldsInCallLogs', 'CallLogID'],
      ['user', 'CustomDataFieldsForUsers', 'UserID'],
    ] as const) {
      if (!q.has(table) || !q.catalog.column(table, 'DataContent')) continue;
      const length = q.dialect.length(q.col(table, 'DataContent', 'x'));
      const select = {
        RecordID: { expr: q.col(table, recordColumn as never, 'x'), type: 'int' },
        CustomFieldID: { expr: q.col(table, 'CustomFieldID', 'x'), type: 'int' },
        Length: { expr: length, type: 'int' },
      } as const;
      for await (const row of q.rows({
        select,
        from: q.table(table, 'x'),
        where: (p) => [`${length} >= ${p.add(minLength)}`],
        keys: ['RecordID', 'CustomFieldID'],
        label: table,
      })) {
        yield { channel, recordId: row.RecordID!, fieldId: row.CustomFieldID!, length: row.Length ?? 0 };
      }
    }
  }

  /** Per ticket: messages + comments + (attachments of a message beyond 10 need one more part per 10). */
  private partsUnion(): string {
    const q = this.q;
    const parts = [
      `SELECT ${q.col('TicketMessages', 'TicketID', 'm')} AS tid, COUNT(*) AS n FROM ${q.table('TicketMessages', 'm')} GROUP BY ${q.col('TicketMessages', 'TicketID', 'm')}`,
    ];
    if (q.has('TicketComments')) {
      parts.push(
        `SELECT ${q.col('TicketComments', 'TicketID', 'c')} AS tid, COUNT(*) AS n FROM ${q.table('TicketComments', 'c')} GROUP BY ${q.col('TicketComments', 'TicketID', 'c')}`,
      );
    }
    if (q.has('TicketAttachments')) {
      const tid = q.col('TicketAttachments', 'TicketID', 'a');
      const mid = q.col('TicketAttachments', 'TicketMessageID', 'a');
      parts.push(
        `SELECT ${tid} AS tid, (COUNT(*) - 1) / 10 AS n FROM ${q.table('TicketAttachments', 'a')} ` +
          `WHERE NOT ${this.flag(q.col('TicketAttachments', 'IsDeleted', 'a'))} GROUP BY ${tid}, ${mid}`,
      );
    }
    return parts.join(' UNION ALL ');
  }

  async *ticketsOverParts(maxParts: number): AsyncIterable<{ ticketId: number; parts: number }> {
    const rows = await this.q.raw((p) => {
      const union = this.partsUnion();
      return `SELECT x.tid AS tid, SUM(x.n) AS parts FROM (${union}) x GROUP BY x.tid HAVING SUM(x.n) > ${p.add(maxParts)} ORDER BY x.tid`;
    });
    for (const row of rows) yield { ticketId: Number(row.tid), parts: Number(row.parts) };
  }

  async *orphanTicketReferences(): AsyncIterable<OrphanReference> {
    const q = this.q;
    const checks = [
      ['customer', 'UserID_Customer', 'Users', 'UserID'],
      ['agent', 'UserID', 'Users', 'UserID'],
      ['department', 'DepartmentID', 'Departments', 'DepartmentID'],
    ] as const;
    for (const [reference, column, target, targetKey] of checks) {
      const ref = q.col('Tickets', column, 't');
      if (ref === 'NULL') continue;
      const select = {
        TicketID: { expr: q.col('Tickets', 'TicketID', 't'), type: 'int' },
        Ref: { expr: ref, type: 'int' },
      } as const;
      const where = () => [
        `${ref} IS NOT NULL`,
        `NOT EXISTS (SELECT 1 FROM ${q.table(target, 'o')} WHERE ${q.col(target, targetKey as never, 'o')} = ${ref})`,
      ];
      for await (const row of q.rows({
        select,
        from: q.table('Tickets', 't'),
        where,
        keys: ['TicketID'],
        label: `orphan ${reference}`,
      })) {
        yield { ticketId: row.TicketID!, reference, referencedId: row.Ref! };
      }
    }
  }

  async volumes(): Promise<SourceVolumes> {
    const q = this.q;
    const r = this.reader;
    const messages = await this.rowCount('TicketMessages');
    const comments = await this.rowCount('TicketComments');
    const ticketsWithMessages = await this.scalar(
      () =>
        `SELECT COUNT(DISTINCT ${q.col('TicketMessages', 'TicketID', 'm')}) AS n FROM ${q.table('TicketMessages', 'm')}`,
    );
    let extraAttachmentParts = 0;
    if (q.has('TicketAttachments')) {
      const tid = q.col('TicketAttachments', 'TicketID', 'a');
      const mid = q.col('TicketAttachments', 'TicketMessageID', 'a');
      extraAttachmentParts = await this.scalar(
        () =>
          `SELECT SUM(x.n) AS n FROM (SELECT (COUNT(*) - 1) / 10 AS n FROM ${q.table('TicketAttachments', 'a')} ` +
          `WHERE NOT ${this.flag(q.col('TicketAttachments', 'IsDeleted', 'a'))} GROUP BY ${tid}, ${mid}) x`,
      );
    }
    const assignee = q.col('Tickets', 'UserID', 't');
    const ticketsAssigned = await this.scalar(
      () =>
        `SELECT COUNT(*) AS n FROM ${q.table('Tickets', 't')} WHERE EXISTS (SELECT 1 FROM ${q.table('Users', 'u')} WHERE ${q.col('Users', 'UserID', 'u')} = ${assignee} AND ${r.notQueueCondition('u')})`,
    );
    let ticketsClosed = 0;
    if (q.has('TicketStatuses')) {
      ticketsClosed = await this.scalar(
        () =>
          `SELECT COUNT(*) AS n FROM ${q.table('Tickets', 't')} JOIN ${q.table('TicketStatuses', 's')} ON ${q.col('TicketStatuses', 'TicketStatusID', 's')} = ${q.col('Tickets', 'TicketStatusID', 't')} WHERE NOT ${this.flag(q.col('TicketStatuses', 'IsOpen', 's'))}`,
      );
    }
    const chatsWithMessages = q.has('ChatMessages')
      ? await this.scalar(
          () =>
            `SELECT COUNT(DISTINCT ${q.col('ChatMessages', 'ChatID', 'm')}) AS n FROM ${q.table('ChatMessages', 'm')}`,
        )
      : 0;
    const roundRobinGroups: SourceVolumes['roundRobinGroups'] = [];
    if (q.has('UsersInGroups') && q.catalog.column('UsersInGroups', 'RoundRobinOrder')) {
      const d = q.col('UsersInGroups', 'DepartmentID', 'g');
      const g = q.col('UsersInGroups', 'GroupID', 'g');
      const rows = await q.raw(
        (p) =>
          `SELECT ${d} AS d, ${g} AS g, COUNT(*) AS n FROM ${q.table('UsersInGroups', 'g')} WHERE ${q.col('UsersInGroups', 'RoundRobinOrder', 'g')} > ${p.add(0)} GROUP BY ${d}, ${g} ORDER BY ${d}, ${g}`,
      );
      for (const row of rows)
        roundRobinGroups.push({ departmentId: Number(row.d), groupId: Number(row.g), agents: Number(row.n) });
    }
    const rebalanceRules: SourceVolumes['rebalanceRules'] = [];
    if (q.has('RebalanceRules')) {
      const select = q.columns('RebalanceRules', 'x', [
        'RebalanceRuleID',
        'RuleName',
        'DepartmentID',
        'GroupID',
      ] as const);
      for await (const row of q.rows({
        select,
        from: q.table('RebalanceRules', 'x'),
        keys: ['RebalanceRuleID'],
        label: 'rebalance rules',
      })) {
        rebalanceRules.push({
          id: row.RebalanceRuleID!,
          name: row.RuleName,
          departmentId: row.DepartmentID,
          groupId: row.GroupID,
        });
      }
    }
    return {
      ticketsWithMessages,
      ticketEntries: messages + comments,
      extraAttachmentParts,
      ticketsAssigned,
      ticketsClosed,
      chatsWithMessages,
      chatMessages: await this.rowCount('ChatMessages'),
      communityRows: (await this.rowCount('Threads')) + (await this.rowCount('ThreadPosts')),
      roundRobinGroups,
      rebalanceRules,
    };
  }
}
