import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { type Clock, systemClock } from '../model/clock';
import { isEmailAddress, trimEmail } from '../model/email';
import {
  MAX_ATTACHMENT_BYTES,
  MAX_ATTRIBUTE_STRING,
  MAX_CONVERSATION_PARTS,
  MAX_FILES_PER_PART,
  nearLimit,
} from '../model/intercom-limits';
import type { ObjectCounts } from '../model/object-types';
import type { RebuildSection } from '../model/reports';
import {
  type ChecklistItem,
  type Estimate,
  type Preflight,
  type Problem,
  type ProblemCode,
  type ProblemItem,
  ScopeReport,
} from '../model/scope';
import type { PreflightFacts } from '../model/source';
import { migrationPaths } from '../model/workspace-paths';
import type { FlagKind, SourceReader, SourceVolumes } from '../source';
import { teamsNamedAfterDepartments } from './rebuild/source-names';
import { readSourceFacts, sourceSections, withEntries } from './rebuild/source-sections';
import { scopeMarkdown } from './scope-markdown';

/** Thresholds the scope checks against: Intercom's limits are the run's own (src/model/intercom-limits.ts). */
export const SCOPE_LIMITS = {
  /** Custom-field values: flagged from this length (near the limit)… */
  customFieldNearLength: nearLimit(MAX_ATTRIBUTE_STRING),
  /** …and over it: a string attribute holds this many characters; longer values are cut and kept in a note. */
  customFieldMaxLength: MAX_ATTRIBUTE_STRING,
  maxConversationParts: MAX_CONVERSATION_PARTS,
  attachmentsPerPart: MAX_FILES_PER_PART,
  maxAttachmentBytes: MAX_ATTACHMENT_BYTES,
  /** Intercom private apps: 10,000 calls per minute per app. */
  requestsPerMinute: 10_000,
  /** A full backup older than this many days is flagged in the pre-flight. */
  maxBackupAgeDays: 7,
} as const;

const MB = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

export interface ScopeOptions {
  /** Stated in the report; attachment existence is only checked when the reader resolves paths. */
  attachmentsRoot: string | null;
  /** The backup's age and the report's stamp are read on this clock. */
  clock?: Clock;
}

const ADVICE: Record<ProblemCode, [Problem['severity'], string, string]> = {
  endUserWithoutEmail: [
    'warning',
    'End users without an email address',
    'Created as contacts by external_id only; they cannot receive email replies.',
  ],
  endUserInvalidEmail: [
    'warning',
    'End users whose email address is not valid (after trimming spaces)',
    'Intercom refuses the address: the contact fails, naming the field, unless the map drops or fixes it.',
  ],
  duplicateEmail: [
    'warning',
    'End users sharing an email address (case-insensitive)',
    'Intercom keeps one contact per email: all but one are created without email and linked by external_id; review them.',
  ],
  agentWithoutEmail: [
    'warning',
    'Agents without an email address',
    'Agents are matched to Intercom admins by email: these fall back to the configured default admin.',
  ],
  customFieldValueNearLimit: [
    'info',
    `Custom-field values of ${SCOPE_LIMITS.customFieldNearLength} to ${SCOPE_LIMITS.customFieldMaxLength} characters`,
    `Close to the ${SCOPE_LIMITS.customFieldMaxLength}-character limit of a text attribute.`,
  ],
  customFieldValueOverLimit: [
    'warning',
    `Custom-field values over ${SCOPE_LIMITS.customFieldMaxLength} characters`,
    'Too long for a text attribute: cut, with the whole value kept in a note (the default), or mapped to a note.',
  ],
  unknownCustomFieldType: [
    'warning',
    'Custom fields of an unknown data type',
    'Migrated as text unless the mapping says otherwise.',
  ],
  attachmentMissing: [
    'warning',
    'Attachments missing on disk',
    'Their metadata is known but the file is not under the attachments root: noted on the conversation, not uploaded.',
  ],
  attachmentUnsafePath: [
    'error',
    'Attachments whose file name would leave the attachments root',
    'Refused and never opened; check these rows.',
  ],
  attachmentNotChecked: [
    'info',
    'Attachments not checked on disk',
    'No attachments root was given (--attachments): existence was not checked.',
  ],
  attachmentTooLarge: [
    'warning',
    `Attachments over the ${MB(SCOPE_LIMITS.maxAttachmentBytes)} per-file limit`,
    'Not uploaded; noted on the conversation.',
  ],
  attachmentEmpty: ['warning', 'Attachments of zero bytes', 'Not uploaded; noted on the conversation.'],
  ticketOverPartLimit: [
    'warning',
    `Tickets over ${SCOPE_LIMITS.maxConversationParts} conversation parts`,
    `Intercom caps a conversation at ${SCOPE_LIMITS.maxConversationParts} parts: the rest of the thread is folded into a final note.`,
  ],
  orphanReference: [
    'warning',
    'Tickets referring to a customer, agent or department that does not exist',
    'Migrated without that link (default admin / no team / contact from the ticket email).',
  ],
  deletedTicket: ['info', 'Deleted tickets', 'Kept in scope and flagged; the mapping decides whether they move.'],
  spamTicket: ['info', 'Tickets marked as spam', 'Kept in scope and flagged; the mapping decides whether they move.'],
  draftMessage: [
    'info',
    'Draft ticket messages',
    'Never sent to the customer: migrated as internal notes or skipped, per the mapping.',
  ],
  agentOnlyChatLine: [
    'info',
    'Live-chat lines visible to agents only',
    'Migrated as internal notes, never as customer-visible replies.',
  ],
  privateArticle: ['info', 'Private KB articles', 'Created in Intercom but kept unpublished / internal.'],
  draftArticle: ['info', 'Draft KB articles', 'Created as drafts.'],
  deletedArticle: ['info', 'Deleted KB articles', 'Kept in scope and flagged; skipped by default.'],
  deletedEndUser: ['info', 'Deleted end users', 'Kept in scope and flagged; their tickets still need a contact.'],
};

class Problems {
  private readonly byCode = new Map<ProblemCode, ProblemItem[]>();
  add(code: ProblemCode, item: ProblemItem): void {
    const list = this.byCode.get(code);
    if (list) list.push(item);
    else this.byCode.set(code, [item]);
  }
  list(): Problem[] {
    return (Object.keys(ADVICE) as ProblemCode[])
      .filter((code) => this.byCode.has(code))
      .map((code) => {
        const [severity, title, advice] = ADVICE[code];
        const items = this.byCode.get(code)!;
        return { code, severity, title, advice, count: items.length, items };
      });
  }
}

const TICKET_CODES = new Set<ProblemCode>(['ticketOverPartLimit', 'orphanReference', 'deletedTicket', 'spamTicket']);

/**
 * Names flagged tickets as the run does ("ticket <number>"), so a scope line and a run's warning
 * about the same ticket can be matched. One pass over the tickets, keeping only the flagged ids.
 */
async function labelTickets(reader: SourceReader, list: Problem[]): Promise<Problem[]> {
  const wanted = new Set<number>();
  for (const p of list) {
    for (const item of p.items) {
      if (TICKET_CODES.has(p.code)) wanted.add(item.id);
      if (item.parentKind === 'ticket' && item.parentId !== undefined) wanted.add(item.parentId);
    }
  }
  if (wanted.size === 0) return list;
  const labels = new Map<number, string>();
  for await (const t of reader.tickets()) if (wanted.has(t.id)) labels.set(t.id, `ticket ${t.number ?? t.id}`);
  return list.map((p) => ({
    ...p,
    items: p.items.map((item) => {
      const label = TICKET_CODES.has(p.code) ? labels.get(item.id) : undefined;
      const parentLabel =
        item.parentKind === 'ticket' && item.parentId !== undefined ? labels.get(item.parentId) : undefined;
      return { ...item, ...(label ? { label } : {}), ...(parentLabel ? { parentLabel } : {}) };
    }),
  }));
}

const FLAGS: [FlagKind, ProblemCode, ProblemItem['parentKind'] | null][] = [
  ['deletedTickets', 'deletedTicket', null],
  ['spamTickets', 'spamTicket', null],
  ['draftMessages', 'draftMessage', 'ticket'],
  ['agentOnlyChatLines', 'agentOnlyChatLine', 'chat'],
  ['privateArticles', 'privateArticle', null],
  ['draftArticles', 'draftArticle', null],
  ['deletedArticles', 'deletedArticle', null],
  ['deletedEndUsers', 'deletedEndUser', null],
];

/**
 * Builds the scope of a source in one streaming pass per object type: counts come from
 * aggregates, and only the ids of flagged records are kept.
 */
export async function buildScope(reader: SourceReader, options: ScopeOptions): Promise<ScopeReport> {
  // Read once, so the backup's age and the report's stamp agree.
  const now = (options.clock ?? systemClock).now();
  const insights = reader.insights;
  const counts = await insights.counts();
  const problems = new Problems();

  for await (const user of reader.endUsers()) {
    const email = trimEmail(user.email);
    if (email === null) problems.add('endUserWithoutEmail', { id: user.id });
    else if (!isEmailAddress(email)) problems.add('endUserInvalidEmail', { id: user.id, email });
  }
  for await (const group of insights.duplicateEmails()) {
    problems.add('duplicateEmail', { id: group.userIds[0] ?? 0, email: group.email, userIds: group.userIds });
  }
  for await (const agent of reader.agents()) {
    if (!agent.email?.trim()) problems.add('agentWithoutEmail', { id: agent.id });
  }
  for await (const field of reader.customFields()) {
    if (field.kind === 'unknown')
      problems.add('unknownCustomFieldType', {
        id: field.id,
        detail: `DataType ${field.dataType}${field.name ? ` (${field.name})` : ''}`,
      });
  }
  for await (const v of insights.longCustomFieldValues(SCOPE_LIMITS.customFieldNearLength)) {
    const code =
      v.length > SCOPE_LIMITS.customFieldMaxLength ? 'customFieldValueOverLimit' : 'customFieldValueNearLimit';
    problems.add(code, {
      id: v.recordId,
      parentKind: v.channel,
      parentId: v.recordId,
      fieldId: v.fieldId,
      length: v.length,
    });
  }
  for await (const a of reader.attachments()) {
    const owner = { parentKind: a.owner.kind, parentId: a.owner.id };
    if (a.pathStatus === 'unsafe')
      problems.add('attachmentUnsafePath', { id: a.id, ...owner, detail: a.fileNameOnDisk ?? '' });
    if (a.deleted) continue; // deleted attachments do not move; their files may rightly be purged
    if (a.pathStatus === 'missing' || a.pathStatus === 'noFileName')
      problems.add('attachmentMissing', { id: a.id, ...owner, detail: a.fileNameOnDisk ?? '(no file name)' });
    if (a.pathStatus === 'noRoot') problems.add('attachmentNotChecked', { id: a.id, ...owner });
    if (a.length !== null && a.length > SCOPE_LIMITS.maxAttachmentBytes)
      problems.add('attachmentTooLarge', { id: a.id, ...owner, length: a.length });
    if (a.length === 0) problems.add('attachmentEmpty', { id: a.id, ...owner });
  }
  for await (const t of insights.ticketsOverParts(SCOPE_LIMITS.maxConversationParts)) {
    problems.add('ticketOverPartLimit', { id: t.ticketId, parts: t.parts });
  }
  for await (const o of insights.orphanTicketReferences()) {
    problems.add('orphanReference', { id: o.ticketId, reference: o.reference, referencedId: o.referencedId });
  }
  for (const [flag, code, parentKind] of FLAGS) {
    for await (const f of insights.flagged(flag)) {
      problems.add(
        code,
        parentKind && f.parentId !== null ? { id: f.id, parentKind, parentId: f.parentId } : { id: f.id },
      );
    }
  }

  const volumes = await insights.volumes();
  const report: ScopeReport = {
    kind: 'st2ic.scope',
    version: 2,
    generatedAt: now.toISOString(),
    source: await reader.describe(),
    attachmentsRoot: options.attachmentsRoot,
    counts,
    problems: await labelTickets(reader, problems.list()),
    rebuild: await rebuildSections(reader, counts, volumes),
    estimate: estimateCalls(counts, volumes),
    preflight: preflightOf(reader.preflight ? await reader.preflight() : null, now),
  };
  return ScopeReport.parse(report);
}

/** The rebuild inventory's sections that need only the source, worded as the inventory words them. */
async function rebuildSections(
  reader: SourceReader,
  counts: ObjectCounts,
  volumes: SourceVolumes,
): Promise<RebuildSection[]> {
  const facts = await readSourceFacts(reader, counts, volumes);
  // No map yet: teams are named after departments and both ways of sending call logs stay open.
  return withEntries(sourceSections(facts, { teamName: teamsNamedAfterDepartments, callLogs: null }));
}

const CHECKLIST: ChecklistItem[] = [
  {
    id: 'fullBackup',
    item: 'A full backup of the SmarterTrack database and its App_Data folder was taken just before the migration, and a test restore worked.',
    why: 'msdb only records backups this server took; it cannot tell whether a backup restores or whether the attachment files were copied too.',
  },
  {
    id: 'licenseActivation',
    item: 'A SmarterTrack license activation is left, so the source can be restored and reactivated on another server if needed.',
    why: 'Activations are counted by SmarterTools, not in the database.',
  },
  {
    id: 'serviceStopped',
    item: 'Before the final delta run, the SmarterTrack service is stopped or in maintenance: no new tickets or chats, and its background workers (POP polling, auto-close, events) are idle.',
    why: 'Whether background workers are running cannot be read from the database; changes made after the final delta would be lost.',
  },
];

/** "1 day", "7.5 days": the age as a DBA would say it. */
function daysPhrase(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** 2026-11-26 12:00 UTC */
function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Pre-flight block: SQL Server facts, warnings on backup age and unreadable facts, the checklist. */
export function preflightOf(facts: PreflightFacts | null, now: Date): Preflight {
  if (!facts) {
    return {
      applicable: false,
      note: 'Pre-flight checks apply to on-premises SQL Server sources.',
      facts: null,
      lastFullBackupAgeDays: null,
      warnings: [],
      checklist: [],
    };
  }
  const warnings: string[] = [];
  const maxAge = SCOPE_LIMITS.maxBackupAgeDays;
  let ageDays: number | null = null;
  const db = facts.databaseName ?? 'the database';
  if (!facts.lastFullBackup) {
    warnings.push(
      `The backup history (msdb.dbo.backupset) could not be read: confirm by hand that a full backup of ${db} exists.`,
    );
  } else if (!facts.lastFullBackup.finishedAt) {
    warnings.push(`No full backup of ${db} is recorded in msdb: take one before migrating.`);
  } else {
    const finishedAt = Date.parse(facts.lastFullBackup.finishedAt);
    ageDays = Math.max(0, Math.floor(((now.getTime() - finishedAt) / 86_400_000) * 10) / 10);
    if (ageDays > maxAge) {
      warnings.push(
        `The last full backup of ${db} finished ${daysPhrase(ageDays)} ago (${utcMinute(finishedAt)}); take a fresh full backup before migrating (this check wants one from the last ${maxAge} days).`,
      );
    } else if (finishedAt - now.getTime() > 86_400_000) {
      // msdb's clock is ahead of ours by more than a day: the age cannot be trusted either way.
      warnings.push(
        `The last full backup of ${db} is dated ${utcMinute(finishedAt)}, in the future by this machine's clock; check the clocks of both servers and confirm the backup by hand.`,
      );
    }
  }
  for (const reason of facts.unavailable)
    if (!/backupset/.test(reason)) warnings.push(`Not readable with this login: ${reason}`);
  return {
    applicable: true,
    note: 'Read from SQL Server by SELECT only; the checklist is for the person running the migration to confirm.',
    facts,
    lastFullBackupAgeDays: ageDays,
    warnings,
    checklist: CHECKLIST,
  };
}

/**
 * Intercom calls a full run needs, by the loader's plan: one create per record, one call per extra
 * conversation part, attachment parts beyond 10 files, one update for title and attributes, one
 * assign and one close where they apply, one tag per conversation (the migration tag). Attachments
 * of a first message (POST /conversations takes no files) ride on the next part; not counted apart.
 */
function estimateCalls(
  counts: ObjectCounts,
  v: SourceVolumes,
  requestsPerMinute: number = SCOPE_LIMITS.requestsPerMinute,
): Estimate {
  const n = (k: keyof ObjectCounts) => counts[k] ?? 0;
  const tickets = n('tickets');
  const chats = n('liveChats');
  const lines: Estimate['lines'] = [
    {
      object: 'setup',
      calls: 2 + n('customFields') + n('tags') + 1,
      how: 'list admins and teams; one data attribute per custom field; one per tag, plus the migration tag',
    },
    { object: 'companies', calls: n('organizations'), how: '1 create per organization' },
    {
      object: 'contacts',
      calls: n('endUsers') + n('organizationMemberships'),
      how: '1 create per end user + 1 company link per membership',
    },
    {
      object: 'conversations (tickets)',
      calls:
        tickets +
        Math.max(0, v.ticketEntries - v.ticketsWithMessages) +
        v.extraAttachmentParts +
        tickets +
        v.ticketsAssigned +
        v.ticketsClosed +
        tickets,
      how: '1 create + 1 per further message or comment + 1 per extra 10 attachments + title/attributes update + assign + close + tag',
    },
    {
      object: 'conversations (live chats)',
      calls: chats + Math.max(0, v.chatMessages - v.chatsWithMessages) + chats + chats + chats,
      how: '1 create + 1 per further line + title/attributes update + close + tag',
    },
    {
      object: 'conversations (call logs)',
      calls: n('callLogs') * 2,
      how: '1 create (with the call as a note) + close',
    },
    { object: 'help center', calls: n('kbCategories') + n('kbArticles'), how: '1 per collection + 1 per article' },
  ];
  const minutesOf = (calls: number) => Math.round((calls / requestsPerMinute) * 100) / 100;
  const totalCalls = lines.reduce((sum, l) => sum + l.calls, 0);
  // An Intercom ticket takes its attributes, assignee and created_at in the create, but no message
  // (every message is a reply, the first too) and its state in an update.
  const asTickets = {
    object: 'Intercom tickets (tickets)',
    calls: tickets + v.ticketEntries + v.extraAttachmentParts + tickets + tickets,
    how: '1 create (attributes, assignee) + 1 reply per message or comment + 1 per extra 10 attachments + tag + state',
  };
  const ticketsLine = lines.find((l) => l.object === 'conversations (tickets)')?.calls ?? 0;
  const ticketTotal = totalCalls - ticketsLine + asTickets.calls;
  return {
    requestsPerMinute,
    lines,
    totalCalls,
    minutes: minutesOf(totalCalls),
    asIntercomTickets: { line: asTickets, totalCalls: ticketTotal, minutes: minutesOf(ticketTotal) },
  };
}

/** Writes <workspace>/migration/reports/scope.md and scope.json; returns their paths. */
export async function writeScopeReports(
  report: ScopeReport,
  workspace: string,
): Promise<{ markdown: string; json: string }> {
  const dir = migrationPaths(workspace).reports;
  await mkdir(dir, { recursive: true });
  const markdown = path.join(dir, 'scope.md');
  const json = path.join(dir, 'scope.json');
  await writeFile(json, JSON.stringify(report, null, 2) + '\n');
  await writeFile(markdown, scopeMarkdown(report));
  return { markdown, json };
}
