import type { ObjectCounts } from '../../model/object-types';
import type { FlaggedRecord, FlagKind, LongValue, OrphanReference, SourceInsights, SourceVolumes } from '../reader';
import { PART_TYPE } from './schemas';
import type { SoapSourceReader } from './soap-reader';
import type { IndexedTicket } from './ticket-index';

const isComment = (type: number) =>
  type === PART_TYPE.COMMENT || type === PART_TYPE.TRANSFER_COMMENT || type === PART_TYPE.RESOLUTION_COMMENT;

/**
 * The scope aggregates, computed in memory from what the reader fetched (there is no server-side
 * aggregate in the Web Services): the ticket index, the directory, the end users found through
 * tickets, organizations and the knowledge base. Fine for hosted desks; the index is the memory cost.
 */
export class SoapInsights implements SourceInsights {
  constructor(private readonly reader: SoapSourceReader) {}

  async *flagged(kind: FlagKind): AsyncIterable<FlaggedRecord> {
    const r = this.reader;
    switch (kind) {
      case 'deletedTickets':
      case 'spamTickets':
        for (const t of (await r.index()).tickets)
          if (kind === 'deletedTickets' ? t.ticket.deleted : t.ticket.spam) yield { id: t.ticket.id, parentId: null };
        return;
      case 'draftMessages':
        for (const t of (await r.index()).tickets) {
          for (const p of t.parts)
            if (p.Type === PART_TYPE.MESSAGE && p.IsDraft) yield { id: p.PartId, parentId: t.ticket.id };
        }
        return;
      case 'privateArticles':
      case 'draftArticles':
        for (const a of (await r.knowledgeBase()).articles)
          if (kind === 'privateArticles' ? a.private : a.draft) yield { id: a.id, parentId: null };
        return;
      case 'deletedEndUsers':
        for (const u of await r.endUsersList()) if (u.deleted) yield { id: u.id, parentId: null };
        return;
      case 'agentOnlyChatLines':
      case 'deletedArticles':
        return; // not exposed by the Web Services
    }
  }

  async counts(): Promise<ObjectCounts> {
    const r = this.reader;
    const dir = await r.directory();
    const { tickets } = await r.index();
    let memberships = 0;
    for await (const _ of r.organizationMemberships()) memberships++;
    let values = 0;
    for await (const _ of r.customFieldValues()) values++;
    const kb = await r.knowledgeBase();
    const partCount = (pred: (type: number) => boolean) =>
      tickets.reduce((n, t) => n + t.parts.filter((p) => pred(p.Type)).length, 0);
    return {
      brands: dir.brands.length,
      departments: dir.departments.length,
      groups: dir.groups.length,
      agents: dir.agents.length,
      endUsers: (await r.endUsersList()).length,
      organizations: (await r.organizationsList()).length,
      organizationMemberships: memberships,
      customFields: (await r.customFieldsList()).length,
      customFieldValues: values,
      tickets: tickets.length,
      ticketMessages: partCount((type) => type === PART_TYPE.MESSAGE),
      ticketComments: partCount(isComment),
      attachments: tickets.reduce((n, t) => n + t.attachments.length, 0),
      liveChats: 0,
      chatMessages: 0,
      callLogs: (await r.callLogsList()).length,
      kbCategories: kb.categories.length,
      kbArticles: kb.articles.length,
      tags: 0,
      automationRules: 0,
      slaPolicies: 0,
    };
  }

  async *duplicateEmails(): AsyncIterable<{ email: string; userIds: number[] }> {
    const byEmail = new Map<string, number[]>();
    for (const u of await this.reader.endUsersList()) {
      const email = u.email?.trim().toLowerCase();
      if (!email) continue;
      byEmail.set(email, [...(byEmail.get(email) ?? []), u.id]);
    }
    for (const email of [...byEmail.keys()].sort()) {
      const ids = byEmail.get(email)!;
      if (ids.length > 1) yield { email, userIds: ids.sort((a, b) => a - b) };
    }
  }

  async *longCustomFieldValues(minLength: number): AsyncIterable<LongValue> {
    for await (const v of this.reader.customFieldValues()) {
      const length = v.value?.length ?? 0;
      if (length >= minLength) yield { channel: v.channel, recordId: v.recordId, fieldId: v.fieldId, length };
    }
  }

  private partsOf(t: IndexedTicket): number {
    const entries = t.parts.filter((p) => p.Type === PART_TYPE.MESSAGE || isComment(p.Type)).length;
    const perMessage = new Map<number, number>();
    for (const a of t.attachments)
      perMessage.set(a.ticketMessageId ?? 0, (perMessage.get(a.ticketMessageId ?? 0) ?? 0) + 1);
    let extra = 0;
    for (const n of perMessage.values()) extra += Math.floor((n - 1) / 10);
    return entries + extra;
  }

  async *ticketsOverParts(maxParts: number): AsyncIterable<{ ticketId: number; parts: number }> {
    for (const t of (await this.reader.index()).tickets) {
      const parts = this.partsOf(t);
      if (parts > maxParts) yield { ticketId: t.ticket.id, parts };
    }
  }

  async *orphanTicketReferences(): AsyncIterable<OrphanReference> {
    const r = this.reader;
    const dir = await r.directory();
    const staff = new Set([...dir.agents.map((a) => a.id), ...dir.queueUsers.map((q) => q.id)]);
    const users = new Set([...staff, ...(await r.endUsersList()).map((u) => u.id)]);
    const departments = new Set(dir.departments.map((d) => d.id));
    for (const { ticket: t, info } of (await r.index()).tickets) {
      if (t.customerUserId !== null && !users.has(t.customerUserId))
        yield { ticketId: t.id, reference: 'customer', referencedId: t.customerUserId };
      if (info.IdAgent !== null && !staff.has(info.IdAgent))
        yield { ticketId: t.id, reference: 'agent', referencedId: info.IdAgent };
      if (t.departmentId !== null && !departments.has(t.departmentId))
        yield { ticketId: t.id, reference: 'department', referencedId: t.departmentId };
    }
  }

  async volumes(): Promise<SourceVolumes> {
    const { tickets } = await this.reader.index();
    let ticketEntries = 0;
    let extraAttachmentParts = 0;
    for (const t of tickets) {
      const entries = t.parts.filter((p) => p.Type === PART_TYPE.MESSAGE || isComment(p.Type)).length;
      ticketEntries += entries;
      extraAttachmentParts += this.partsOf(t) - entries;
    }
    return {
      ticketsWithMessages: tickets.filter((t) => t.parts.some((p) => p.Type === PART_TYPE.MESSAGE)).length,
      ticketEntries,
      extraAttachmentParts,
      ticketsAssigned: tickets.filter((t) => t.ticket.assignedAgentId !== null).length,
      ticketsClosed: tickets.filter((t) => t.ticket.statusIsOpen === false).length,
      chatsWithMessages: 0,
      chatMessages: 0,
      communityRows: 0,
      roundRobinGroups: [],
      rebalanceRules: [],
    };
  }
}
