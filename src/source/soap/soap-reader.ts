import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type Clock, systemClock } from '../../model/clock';
import { customFieldKind } from '../../model/smartertrack-codes';
import type {
  Agent,
  Attachment,
  AutomationRule,
  Brand,
  CallLog,
  ChatMessage,
  CommentType,
  CustomField,
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
import { MembershipMatcher } from '../organization-membership';
import type { SourceInsights, SourceReader } from '../reader';
import { buildThread } from '../sql/thread';
import { AttachmentDownloader } from './attachment-download';
import { type Directory, flatFields, listOf, readDirectory, userDetails, userRecord } from './directory';
import { child, items, text } from './envelope';
import { SoapOperationError } from './errors';
import { mapLimit, orderedAhead } from './pool';
import {
  CallLogInfo,
  CustomFieldInfo,
  KbArticleInfo,
  KbArticlePart,
  KbFolder,
  MEMBER_KIND_TYPE_NAME,
  MEMBER_TYPE_KIND,
  OrganizationInfo,
  OrganizationMemberInfo,
  PART_TYPE,
  type TicketAttachmentInfo,
  TicketCommentInfo,
  type TicketPartInfo,
} from './schemas';
import type { SoapClient } from './soap-client';
import { SoapInsights } from './soap-insights';
import { type IndexedTicket, indexTickets, type SearchFigures, searchGroups, searchTickets } from './ticket-index';

export interface SoapReaderOptions {
  /** Download cache for attachment bytes; null: a private temporary folder, removed on close(). */
  attachmentsRoot?: string | null;
  /** Download attachment bytes while reading threads (default true). */
  downloadAttachments?: boolean;
  /** Per-file ceiling for downloads (default 100 MB). */
  maxAttachmentBytes?: number;
  /** Requests in flight at once (default 4: a hosted desk is someone's production server). */
  concurrency?: number;
  /** Where the yearly call-log search windows end (default: the system clock). */
  clock?: Clock;
  /** See SearchOptions.splitThreshold (default 1000). */
  splitThreshold?: number;
  /** Call logs are read by group and time range from this date (default 2000-01-01) until tomorrow, a year per request. */
  callLogsSince?: Date;
  /** Organizations have no list operation: ids are probed from 1 until this many in a row are missing (default 50). */
  organizationProbeMisses?: number;
}

/** What the Web Services cannot give (reference notes 2.7–2.11), listed by describe() and so by the scope report. */
const NOT_AVAILABLE = [
  'end users without tickets (no list-users operation; users are found through their tickets)',
  'live chats and chat messages (no chat service)',
  'tags (no operation)',
  'automation rules / events (no operation)',
  'department policies: auto-close, auto-lock, auto-delete (no operation)',
  'ticket status, priority and comment type lists (only per-ticket names)',
  'custom field templates and per-department use (GetAllCustomFields gives definitions only)',
  'custom field values of users, chats and call logs',
  'merged ticket numbers (st_TicketMerges)',
  'deleted attachments and deleted KB articles',
  'chat and call-log attachments',
  'message CC addresses and sender user ids (resolved from sender email where possible)',
  'group membership details (admin flag, round robin), department and group flags (deleted, internal, front line), brand host headers',
  'brand assignment of KB articles',
].map((what) => `not available through the Web Services: ${what}`);

interface AgentLookup {
  byEmail: Map<string, number>;
  byName: Map<string, number | null>;
}

interface Index {
  tickets: IndexedTicket[];
  byId: Map<number, IndexedTicket>;
  figures: SearchFigures;
}

/** A SourceReader over SmarterTrack's SOAP Web Services (hosted desks). Read-only calls only. */
export class SoapSourceReader implements SourceReader {
  readonly insights: SourceInsights;
  private readonly concurrency: number;
  private readonly downloader: AttachmentDownloader | null;
  private readonly tempDir: string | null;
  private directoryP: Promise<Directory> | null = null;
  private indexP: Promise<Index> | null = null;
  private endUsersP: Promise<EndUser[]> | null = null;
  private organizationsP: Promise<Organization[]> | null = null;
  private customFieldsP: Promise<CustomField[]> | null = null;

  constructor(
    readonly client: SoapClient,
    private readonly options: SoapReaderOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.tempDir = options.attachmentsRoot ? null : mkdtempSync(path.join(tmpdir(), 'st2ic-soap-attachments-'));
    const dir = options.attachmentsRoot ?? this.tempDir!;
    this.downloader =
      options.downloadAttachments === false
        ? null
        : new AttachmentDownloader(client, dir, options.maxAttachmentBytes ?? 100 * 1024 * 1024);
    this.insights = new SoapInsights(this);
  }

  // ---------- memoized reads ----------

  directory(): Promise<Directory> {
    this.directoryP ??= readDirectory(this.client, this.concurrency);
    return this.directoryP;
  }

  index(): Promise<Index> {
    this.indexP ??= (async () => {
      const dir = await this.directory();
      const { infos, figures } = await searchTickets(this.client, dir, {
        concurrency: this.concurrency,
        splitThreshold: this.options.splitThreshold ?? 1000,
      });
      const tickets = await indexTickets(this.client, dir, infos, this.concurrency);
      return { tickets, byId: new Map(tickets.map((t) => [t.ticket.id, t])), figures };
    })();
    return this.indexP;
  }

  // ---------- discovery ----------

  async describe(): Promise<SourceDescription> {
    const dir = await this.directory();
    const root = await this.client.resolveRoot();
    const groupName = new Map(dir.groups.map((g) => [g.id, g.name ?? '']));
    const hidden = dir.groups.filter((g) => !dir.visibleGroupIds.includes(g.id));
    const label = (id: number) => `${id}${groupName.get(id) ? ` ${groupName.get(id)}` : ''}`;
    const hints = [
      `SmarterTrack Web Services (SOAP 1.1) at ${this.client.baseUrl}/${root}${root === 'Services' ? ' (legacy path: /Services2 did not answer)' : ''}`,
      // Every group is searched anyway; the search figures below say whether anything came back from the others.
      `API user "${this.client.user}" (agent #${dir.apiAgent.id}) sees the tickets and call logs of its groups only: ${dir.visibleGroupIds.map(label).join(', ') || 'none'}`,
    ];
    if (hidden.length) {
      hints.push(
        `Not visible to the API user (add it to these groups to read their tickets and call logs): ${hidden.map((g) => label(g.id)).join(', ')}`,
      );
    }
    if (this.indexP) {
      const { figures, tickets } = await this.indexP;
      hints.push(
        `Ticket search: ${figures.partitions} partitioned requests, ${tickets.length} tickets, ${figures.duplicatesDropped} duplicates dropped`,
      );
      if (figures.nonMemberGroupsWithTickets.length) {
        hints.push(
          `Groups the API user is not a member of that still returned tickets (it sees more than its groups): ${figures.nonMemberGroupsWithTickets.map(label).join(', ')}`,
        );
      }
    }
    if (this.downloader?.problems.length)
      hints.push(`Attachment downloads that failed: ${this.downloader.problems.join('; ')}`);
    const services: [string, string, string[]][] = [
      [
        'svcOrganization',
        'organization',
        [
          'ValidateAgent',
          'GetAllBrands',
          'GetDepartmentsForBrand',
          'GetAllDepartments',
          'GetGroupsForDepartment',
          'GetGroupsForUser',
          'GetAllAgents',
          'GetAgentsForGroup',
          'GetQueueUser',
          'GetUsersProperties',
          'GetAllUserRoles',
          'GetAllCustomFields',
          'GetOrganizationByID',
          'GetAllMembersInOrganization',
        ],
      ],
      [
        'svcTickets',
        'tickets',
        [
          'GetTicketsBySearch',
          'GetTicketPropertiesList',
          'GetTicketStatus',
          'GetTicketCustomFieldsList',
          'GetTicketConversationPartList',
          'GetTicketMessageHtml',
          'GetTicketMessagePlainText',
          'GetTicketNote',
          'GetTicketAttachments',
        ],
      ],
      ['svcKB', 'knowledge base', ['GetFolders', 'GetArticles', 'GetArticle']],
      ['svcCallLogs', 'call logs', ['GetCallLogByGroup']],
    ];
    return {
      engine: 'soap',
      location: `${this.client.baseUrl}/${root}`,
      tablePrefix: '',
      tables: services.map(([name, logicalName, columns]) => ({ name, logicalName, columns })),
      missingOptionalTables: NOT_AVAILABLE,
      missingOptionalColumns: [],
      versionHints: hints,
    };
  }

  // ---------- organization and people ----------

  async *brands(): AsyncIterable<Brand> {
    yield* (await this.directory()).brands;
  }

  async *departments(): AsyncIterable<Department> {
    yield* (await this.directory()).departments;
  }

  async *groups(): AsyncIterable<Group> {
    yield* (await this.directory()).groups;
  }

  async *agents(): AsyncIterable<Agent> {
    yield* (await this.directory()).agents;
  }

  async *queueUsers(): AsyncIterable<QueueUser> {
    yield* (await this.directory()).queueUsers;
  }

  /** End users found as ticket customers (no list operation), read with GetUsersProperties. */
  endUsersList(): Promise<EndUser[]> {
    this.endUsersP ??= (async () => {
      const dir = await this.directory();
      const { tickets } = await this.index();
      const staff = new Set([...dir.agents.map((a) => a.id), ...dir.queueUsers.map((q) => q.id)]);
      const ids = [
        ...new Set(
          tickets.map((t) => t.ticket.customerUserId).filter((id): id is number => id !== null && !staff.has(id)),
        ),
      ].sort((a, b) => a - b);
      const users = await mapLimit(ids, this.concurrency, async (id) => {
        const details = await userDetails(this.client, id);
        if (!details || details.roles.some((r) => r.employee)) return null;
        return userRecord('endUser', id, details);
      });
      return users.filter((u): u is EndUser => u !== null);
    })();
    return this.endUsersP;
  }

  async *endUsers(): AsyncIterable<EndUser> {
    yield* await this.endUsersList();
  }

  /** No list operation: ids are probed upwards until organizationProbeMisses in a row are missing. */
  organizationsList(): Promise<Organization[]> {
    this.organizationsP ??= (async () => {
      const out: Organization[] = [];
      const maxMisses = this.options.organizationProbeMisses ?? 50;
      let misses = 0;
      for (let id = 1; misses < maxMisses; id++) {
        let info;
        try {
          info = OrganizationInfo.parse(
            flatFields(
              child(
                await this.client.call('svcOrganization', 'GetOrganizationByID', [['organizationID', id]]),
                'Organization',
              ) ?? '',
            ),
          );
        } catch (error) {
          if (!(error instanceof SoapOperationError)) throw error;
          misses++;
          continue;
        }
        misses = 0;
        const members = listOf(
          await this.client.call('svcOrganization', 'GetAllMembersInOrganization', [['organizationID', id]]),
          'Members',
          'OrganizationMemberInfo',
          (n) => OrganizationMemberInfo.parse(flatFields(n)),
        );
        out.push({
          id: info.OrganizationID,
          name: info.Name,
          website: info.Website,
          phone: info.PhoneNumber,
          filters: members.map((m) => {
            const kind = MEMBER_TYPE_KIND[m.Type] ?? 'unknown';
            const userId =
              kind === 'user' && m.Value !== null && /^\d+$/.test(m.Value.trim()) ? Number(m.Value.trim()) : null;
            return {
              id: m.ID,
              type: kind === 'unknown' ? String(m.Type) : MEMBER_KIND_TYPE_NAME[kind],
              kind,
              value: m.Value,
              userId,
            };
          }),
        });
      }
      return out;
    })();
    return this.organizationsP;
  }

  async *organizations(): AsyncIterable<Organization> {
    yield* await this.organizationsList();
  }

  /** Filters evaluated against the end users the API revealed (those with visible tickets). */
  async *organizationMemberships(): AsyncIterable<OrganizationMembership> {
    const matcher = new MembershipMatcher(await this.organizationsList());
    if (matcher.isEmpty) return;
    for (const u of await this.endUsersList()) yield* matcher.match({ id: u.id, email: u.email, phone: u.phone });
  }

  // ---------- custom fields ----------

  customFieldsList(): Promise<CustomField[]> {
    this.customFieldsP ??= (async () => {
      const result = await this.client.call('svcOrganization', 'GetAllCustomFields');
      return items(child(result, 'CustomFields'), 'CustomFieldInfo').map((n) => {
        const f = CustomFieldInfo.parse(flatFields(n));
        const dataType = f.DataType !== null && /^-?\d+$/.test(f.DataType.trim()) ? Number(f.DataType) : -1;
        const options = items(child(n, 'ValueOptions'), 'string')
          .map((s) => text(s) ?? '')
          .filter((s) => s.trim() !== '');
        return {
          id: f.ID,
          name: f.DisplayName,
          dataType,
          kind: customFieldKind(dataType),
          defaultValue: f.DefaultValue,
          options,
          isGlobal: f.IsGlobal,
          templates: [],
        };
      });
    })();
    return this.customFieldsP;
  }

  async *customFields(): AsyncIterable<CustomField> {
    yield* await this.customFieldsList();
  }

  /** Ticket values only; matched to definitions by display name (the API's only key). */
  async *customFieldValues(): AsyncIterable<CustomFieldValue> {
    const idByName = new Map<string, number>();
    for (const f of await this.customFieldsList()) if (f.name) idByName.set(f.name.toLowerCase(), f.id);
    for (const t of (await this.index()).tickets) {
      for (const [name, value] of t.customFields) {
        const fieldId = idByName.get(name.toLowerCase());
        if (fieldId !== undefined)
          yield { channel: 'ticket', recordId: t.ticket.id, fieldId, value: value === '' ? null : value };
      }
    }
  }

  // ---------- lookups the API does not list ----------

  async *ticketStatuses(): AsyncIterable<TicketStatus> {}
  async *ticketPriorities(): AsyncIterable<TicketPriority> {}
  async *commentTypes(): AsyncIterable<CommentType> {}

  // ---------- tickets ----------

  async *tickets(): AsyncIterable<Ticket> {
    for (const t of (await this.index()).tickets) yield t.ticket;
  }

  /** Agents by lower-cased email and by display name (names shared by two agents are left out). */
  private async agentLookup(): Promise<AgentLookup> {
    const byEmail = new Map<string, number>();
    const byName = new Map<string, number | null>();
    for (const a of (await this.directory()).agents) {
      if (a.email) byEmail.set(a.email.trim().toLowerCase(), a.id);
      const name = a.displayName?.trim().toLowerCase();
      if (name) byName.set(name, byName.has(name) ? null : a.id);
    }
    return { byEmail, byName };
  }

  private async messageOf(t: IndexedTicket, part: TicketPartInfo, agents: AgentLookup): Promise<TicketMessage> {
    const [html, plain] = await Promise.all(
      ['GetTicketMessageHtml', 'GetTicketMessagePlainText'].map(
        async (op) =>
          text(child(await this.client.call('svcTickets', op, [['ticketMessageId', part.PartId]]), 'messageBody')) ||
          null,
      ),
    );
    const direction = part.Direction === 1 ? 'outbound' : part.Direction === 0 ? 'inbound' : null;
    const fromAddress = senderAddress(part.Sender);
    const email = fromAddress?.toLowerCase() ?? null;
    const name = senderName(part.Sender)?.toLowerCase() ?? null;
    // The API gives no sender user id. Outbound: the agent with that address, else the one agent with that
    // display name (replies usually go out from the department's mailbox). Inbound: the ticket's customer if the address is theirs.
    const fromUserId =
      direction === 'outbound'
        ? ((email !== null ? agents.byEmail.get(email) : undefined) ??
          (name !== null ? agents.byName.get(name) : undefined) ??
          null)
        : email !== null && t.ticket.customerEmail?.trim().toLowerCase() === email
          ? t.ticket.customerUserId
          : null;
    return {
      id: part.PartId,
      ticketId: t.ticket.id,
      direction,
      fromUserId,
      fromAddress: fromAddress ?? part.Sender,
      toAddress: part.Recipient,
      ccAddresses: null,
      subject: part.Description,
      bodyHtml: html ?? null,
      bodyText: plain ?? null,
      draft: part.IsDraft,
      date: part.CreationDateUtc,
    };
  }

  private async commentOf(t: IndexedTicket, part: TicketPartInfo): Promise<TicketComment> {
    const c = TicketCommentInfo.parse(
      flatFields(
        child(await this.client.call('svcTickets', 'GetTicketNote', [['commentId', part.PartId]]), 'Comment') ?? '',
      ),
    );
    return {
      id: c.CommentId,
      ticketId: t.ticket.id,
      typeId: null,
      typeName: c.CommentType,
      authorUserId: c.UserId,
      text: c.CommentText,
      date: c.DateEnteredUTC ?? part.CreationDateUtc,
    };
  }

  private async entriesOf(t: IndexedTicket): Promise<{ messages: TicketMessage[]; comments: TicketComment[] }> {
    const agents = await this.agentLookup();
    const messages: TicketMessage[] = [];
    const comments: TicketComment[] = [];
    await mapLimit(t.parts, this.concurrency, async (part) => {
      if (part.Type === PART_TYPE.MESSAGE) messages.push(await this.messageOf(t, part, agents));
      else if (
        part.Type === PART_TYPE.COMMENT ||
        part.Type === PART_TYPE.TRANSFER_COMMENT ||
        part.Type === PART_TYPE.RESOLUTION_COMMENT
      )
        comments.push(await this.commentOf(t, part));
    });
    messages.sort((a, b) => a.id - b.id);
    comments.sort((a, b) => a.id - b.id);
    return { messages, comments };
  }

  async *ticketMessages(): AsyncIterable<TicketMessage> {
    for await (const e of orderedAhead((await this.index()).tickets, 2, (t) => this.entriesOf(t))) yield* e.messages;
  }

  async *ticketComments(): AsyncIterable<TicketComment> {
    for await (const e of orderedAhead((await this.index()).tickets, 2, (t) => this.entriesOf(t))) yield* e.comments;
  }

  private attachmentRecord(
    t: IndexedTicket,
    a: TicketAttachmentInfo,
    file: { path: string | null; status: Attachment['pathStatus'] },
  ): Attachment {
    return {
      id: a.fileId,
      owner: { kind: 'ticket', id: t.ticket.id },
      messageId: a.ticketMessageId,
      userId: a.senderUserId,
      originalName: a.fileNameOriginal,
      fileNameOnDisk: a.fileNameOnDisk,
      path: file.path,
      pathStatus: file.status,
      length: a.fileSizeInBytes ?? null,
      cidTag: null,
      deleted: false,
      createdAt: a.fileDateUtc,
    };
  }

  /** Downloads (or finds in the cache) the bytes of one ticket attachment. */
  async downloadAttachment(t: IndexedTicket, a: TicketAttachmentInfo): Promise<Attachment> {
    if (!this.downloader) return this.attachmentRecord(t, a, { path: null, status: 'noRoot' });
    const file = await this.downloader.download({
      fileId: a.fileId,
      downloadUrl: a.downloadUrl,
      fileNameOnDisk: a.fileNameOnDisk,
      expectedBytes: a.fileSizeInBytes ?? null,
    });
    return this.attachmentRecord(t, a, file);
  }

  private async threadOf(t: IndexedTicket): Promise<TicketThread> {
    const { messages, comments } = await this.entriesOf(t);
    const attachments = await mapLimit(t.attachments, this.concurrency, (a) => this.downloadAttachment(t, a));
    return buildThread(t.ticket, messages, comments, attachments);
  }

  async *ticketThreads(): AsyncIterable<TicketThread> {
    yield* orderedAhead((await this.index()).tickets, 2, (t) => this.threadOf(t));
  }

  async ticketThread(ticketId: number): Promise<TicketThread | null> {
    const t = (await this.index()).byId.get(ticketId);
    return t ? this.threadOf(t) : null;
  }

  /** Metadata only (no download): bytes come with ticketThreads(); a file already in the cache is reported found. */
  async *attachments(): AsyncIterable<Attachment> {
    for (const t of (await this.index()).tickets) {
      for (const a of t.attachments) {
        const hit = this.downloader?.cached({
          fileId: a.fileId,
          downloadUrl: a.downloadUrl,
          fileNameOnDisk: a.fileNameOnDisk,
          expectedBytes: a.fileSizeInBytes ?? null,
        });
        yield this.attachmentRecord(t, a, hit ? { path: hit, status: 'found' } : { path: null, status: 'noRoot' });
      }
    }
  }

  get downloads() {
    return this.downloader;
  }

  // ---------- what the API does not give ----------

  async *liveChats(): AsyncIterable<LiveChat> {}
  async *chatMessages(): AsyncIterable<ChatMessage> {}
  async *tags(): AsyncIterable<Tag> {}
  async *automationRules(): AsyncIterable<AutomationRule> {}
  async *departmentPolicies(): AsyncIterable<DepartmentPolicy> {}

  // ---------- call logs ----------

  private callLogsP: Promise<CallLog[]> | null = null;

  callLogsList(): Promise<CallLog[]> {
    this.callLogsP ??= (async () => {
      const dir = await this.directory();
      const since = this.options.callLogsSince ?? new Date(Date.UTC(2000, 0, 1));
      const lastYear = (this.options.clock ?? systemClock).now().getUTCFullYear();
      const windows: [string, string][] = [];
      for (let y = since.getUTCFullYear(); y <= lastYear; y++) {
        windows.push([`${y}-01-01T00:00:00`, `${y + 1}-01-01T00:00:00`]);
      }
      // Call logs dated after this year (a server clock set wrong) are still read.
      windows.push([`${lastYear + 1}-01-01T00:00:00`, '9999-12-31T23:59:59']);
      const byId = new Map<number, CallLogInfo>();
      for (const groupId of searchGroups(dir)) {
        const results = await mapLimit(windows, this.concurrency, async ([from, to]) =>
          listOf(
            await this.client.call('svcCallLogs', 'GetCallLogByGroup', [
              ['groupID', groupId],
              ['startDateUtc', from],
              ['endDateUtc', to],
            ]),
            'CallLogs',
            'CallLogInfo',
            (n) => CallLogInfo.parse(flatFields(n)),
          ),
        );
        for (const row of results.flat()) if (!byId.has(row.CallLogID)) byId.set(row.CallLogID, row);
      }
      return [...byId.values()]
        .sort((a, b) => a.CallLogID - b.CallLogID)
        .map((r) => ({
          id: r.CallLogID,
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
          outgoing: r.IsOutgoing,
          deleted: false,
          startedAt: r.DateStartUtc,
          endedAt: r.DateEndUtc,
          createdAt: r.DateCreatedUtc,
          modifiedAt: r.DateModifiedUtc,
          deletedAt: null,
        }));
    })();
    return this.callLogsP;
  }

  async *callLogs(): AsyncIterable<CallLog> {
    yield* await this.callLogsList();
  }

  // ---------- knowledge base ----------

  private kbP: Promise<{ categories: KbCategory[]; articles: KbArticle[] }> | null = null;

  /** Folders walked from the root (parent 0, ASSUMED), articles per folder with private ones, bodies with GetArticle. */
  knowledgeBase(): Promise<{ categories: KbCategory[]; articles: KbArticle[] }> {
    this.kbP ??= (async () => {
      const categories: KbCategory[] = [];
      const articleParts: { id: number }[] = [];
      const walk = async (parentId: number) => {
        const folders = listOf(
          await this.client.call('svcKB', 'GetFolders', [['parentFolderID', parentId]]),
          'Folders',
          'KBFolderResultPart',
          (n) => KbFolder.parse(flatFields(n)),
        );
        for (const f of folders) {
          if (categories.some((c) => c.id === f.ID)) continue; // a cycle or a repeated root
          categories.push({ id: f.ID, parentId: f.ParentID, name: f.Name, private: f.IsPrivate, visible: null });
          for (const a of listOf(
            await this.client.call('svcKB', 'GetArticles', [
              ['folderID', f.ID],
              ['includePrivate', true],
            ]),
            'Articles',
            'KBArticlesResultPart',
            (n) => KbArticlePart.parse(flatFields(n)),
          )) {
            articleParts.push({ id: a.ID });
          }
          await walk(f.ID);
        }
      };
      await walk(0);
      const articles = await mapLimit(articleParts, this.concurrency, async ({ id }) => {
        const a = KbArticleInfo.parse(
          flatFields(child(await this.client.call('svcKB', 'GetArticle', [['articleID', id]]), 'Article') ?? ''),
        );
        return {
          id: a.ID,
          categoryId: a.FolderID,
          subject: a.Subject,
          bodyHtml: a.Body,
          summary: a.Summary,
          private: a.IsPrivate,
          draft: a.IsDraft,
          deleted: false,
          flaggedForReview: false,
          displayInAllBrands: null,
          brandIds: [],
          authorUserId: a.UserID,
          createdAt: a.DateCreatedUtc,
          modifiedAt: a.DateModifiedUtc,
        } satisfies KbArticle;
      });
      return { categories: categories.sort((a, b) => a.id - b.id), articles: articles.sort((a, b) => a.id - b.id) };
    })();
    return this.kbP;
  }

  async *kbCategories(): AsyncIterable<KbCategory> {
    yield* (await this.knowledgeBase()).categories;
  }

  async *kbArticles(): AsyncIterable<KbArticle> {
    yield* (await this.knowledgeBase()).articles;
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/** "Display Name (email)" or a bare address → the address. */
export function senderAddress(sender: string | null): string | null {
  if (!sender) return null;
  const m = /\(([^()\s]+@[^()\s]+)\)\s*$/.exec(sender) ?? /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(sender);
  if (m) return m[1]!;
  const bare = sender.trim();
  return /^[^\s@]+@[^\s@]+$/.test(bare) ? bare : null;
}

/** "Display Name (email)" → the display name; null for a bare address. */
export function senderName(sender: string | null): string | null {
  const m = sender ? /^(.*?)\s*[(<][^()<>]*[)>]\s*$/.exec(sender) : null;
  const name = m?.[1]?.trim().replace(/^"|"$/g, '');
  return name ? name : null;
}
