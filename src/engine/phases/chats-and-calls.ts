import { applyObjectMapping, cutValues, hasErrors } from '../../mapping/apply';
import { messageBodyHtml, textToHtml, withHeading } from '../../mapping/body-html';
import type { RecordState } from '../../model/journal';
import { type Attachment, attachmentSourceId, type CallLog, type ChatMessage, type LiveChat } from '../../model/source';
import { forEachRecord } from '../concurrent';
import { RecordError } from '../errors';
import { callLogInput, chatInput } from '../mapping-inputs';
import { failWithParent, journalRecord, migrateRecord } from '../record-outcome';
import { teamIdFor } from '../workspace';
import { journaledWrite } from '../write';
import { contactForConversation } from './conversation-contact';
import { liveAttachments, type PlannedPart, writeConversation } from './conversation-writer';
import { adminFor, type ConversationScope, type PlanInputs, seconds } from './tickets';

function mappedOrThrow(label: string, mapped: ReturnType<typeof applyObjectMapping>): void {
  if (!hasErrors(mapped)) return;
  const issue = mapped.issues.find((i) => i.severity === 'error')!;
  throw new RecordError(`${label}: ${issue.source} → ${issue.target}: ${issue.message}`, 'validation', issue.source);
}

/**
 * Transcript lines and attachments grouped by chat. Chats are short (tens of lines), so one pass
 * over the lines keeps them in memory by chat id; tickets, the long ones, stream per thread instead.
 */
async function chatTranscripts(
  inputs: PlanInputs,
  chatIds?: ReadonlySet<number>,
): Promise<{ lines: Map<number, ChatMessage[]>; files: Map<number, Attachment[]> }> {
  const lines = new Map<number, ChatMessage[]>();
  for await (const m of inputs.ctx.reader.chatMessages()) {
    if (chatIds && !chatIds.has(m.chatId)) continue;
    const list = lines.get(m.chatId) ?? [];
    list.push(m);
    lines.set(m.chatId, list);
  }
  const files = new Map<number, Attachment[]>();
  for await (const a of inputs.ctx.reader.attachments()) {
    if (a.owner.kind !== 'chat' || (chatIds && !chatIds.has(a.owner.id))) continue;
    const list = files.get(a.owner.id) ?? [];
    list.push(a);
    files.set(a.owner.id, list);
  }
  for (const list of lines.values()) list.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.id - b.id);
  return { lines, files };
}

function chatPart(inputs: PlanInputs, chat: LiveChat, m: ChatMessage, at: number): PlannedPart {
  const text = m.isHtml ? messageBodyHtml(m.text, null) : textToHtml(m.text);
  const base = {
    objectType: 'chatMessages' as const,
    sourceId: String(m.id),
    createdAt: at,
    attachments: [] as Attachment[],
  };
  if (m.senderType === 'customer' && !m.agentOnly) return { ...base, kind: 'contact', body: text };
  if (m.senderType === 'agent' && !m.agentOnly) {
    const { adminId, byline } = adminFor(inputs.ctx, m.userId ?? chat.agentUserId);
    return {
      ...base,
      kind: 'admin',
      adminId,
      body: byline ? withHeading(`[Sent by ${byline} in SmarterTrack]`, text) : text,
    };
  }
  // A note by an agent with no Intercom admin is written as the fallback admin: its heading names who wrote it.
  const { adminId, byline } = adminFor(inputs.ctx, m.userId);
  const what = m.agentOnly ? 'Agent-only line' : m.senderType === 'system' ? 'System' : 'Line';
  return { ...base, kind: 'note', adminId, body: withHeading(`[${what}${byline ? ` by ${byline}` : ''}]`, text) };
}

export async function migrateChats(inputs: PlanInputs, scope: ConversationScope): Promise<void> {
  const { ctx } = inputs;
  const { lines, files } = await chatTranscripts(inputs, scope.chatIds);
  const chatIds = new Set<number>();
  await forEachRecord(
    ctx,
    ctx.reader.liveChats(),
    async (chat) => {
      chatIds.add(chat.id);
      if (scope.chatIds && !scope.chatIds.has(chat.id)) return;
      const ended = await migrateRecord(
        ctx,
        'liveChats',
        String(chat.id),
        async (): Promise<RecordState | undefined> => {
          const transcript = lines.get(chat.id) ?? [];
          const skipLines = (reason: string) => {
            for (const m of transcript)
              journalRecord(ctx, 'chatMessages', String(m.id), {
                state: 'skipped',
                reason: `its chat was skipped: ${reason}`,
              });
            for (const a of files.get(chat.id) ?? [])
              journalRecord(ctx, 'attachments', attachmentSourceId(a), {
                state: 'skipped',
                reason: `its chat was skipped: ${reason}`,
              });
            return { state: 'skipped' as const, reason };
          };
          if (!ctx.map.objects.liveChats.enabled) return skipLines('live chats are disabled in the map');
          if (chat.deleted && !ctx.map.options.includeDeletedTickets) return skipLines('deleted in SmarterTrack');
          if (transcript.length === 0 && !chat.initialQuestion)
            return { state: 'skipped', reason: 'no transcript lines' };
          const label = `live chat ${chat.number ?? chat.id}`;
          const contactId = await contactForConversation(
            ctx,
            inputs.people,
            {
              userId: chat.customerUserId,
              email: chat.customerEmail,
              name: chat.customerName,
              anonymousKey: `chat:${chat.id}`,
            },
            label,
          );
          const { record, customValues } = chatInput(chat, inputs.lookups, inputs.values);
          const mapped = applyObjectMapping('liveChats', ctx.map.objects.liveChats, record, customValues);
          mappedOrThrow(label, mapped);
          const started = seconds(chat.startedAt, 0);
          const parts = transcript.map((m) => chatPart(inputs, chat, m, seconds(m.date, started)));
          const chatFiles = liveAttachments(ctx, files.get(chat.id) ?? []);
          // The carrier's id shares the attachments namespace with attachmentSourceId (`chat:<attachment id>`):
          // `chat:<chat id>` would take the id of another chat's file, and the note would be skipped as written.
          if (chatFiles.length)
            parts.push({
              objectType: 'attachments',
              sourceId: `chat-files:${chat.id}`,
              kind: 'note',
              adminId: ctx.workspace.fallbackAdminId,
              body: textToHtml('Files shared in this chat'),
              createdAt: parts.at(-1)?.createdAt ?? started,
              attachments: chatFiles,
            });
          // The pre-chat question is the visitor's own words; without it, a placeholder says what it is.
          const question = chat.initialQuestion?.trim() ? textToHtml(chat.initialQuestion) : '';
          const openerKind =
            parts[0]?.kind === 'contact' || question
              ? undefined
              : parts[0]?.kind === 'admin'
                ? ('agent-opened' as const)
                : ('placeholder' as const);
          const opener =
            parts[0]?.kind === 'contact'
              ? parts.shift()!
              : {
                  objectType: 'liveChats' as const,
                  sourceId: String(chat.id),
                  kind: 'contact' as const,
                  body:
                    question ||
                    textToHtml(
                      `[Placeholder added by the migration, not a visitor message: ${label} ${openerKind === 'agent-opened' ? 'was started by an agent; the first line follows' : 'has no visitor line first'}.]`,
                    ),
                  createdAt: started,
                  attachments: [],
                };
          // Values kept whole in a note (a cut field, a field mapped to a note) follow the transcript, as on tickets.
          for (const note of mapped.notes)
            parts.push({
              objectType: 'attachments',
              sourceId: `chat-field:${chat.id}:${note.label}`,
              kind: 'note',
              adminId: ctx.workspace.fallbackAdminId,
              body: textToHtml(`${note.label}:\n${note.text}`),
              createdAt: parts.at(-1)?.createdAt ?? opener.createdAt,
              attachments: [],
            });
          const teamKey = mapped.teamKeys[0];
          const agent = chat.agentUserId === null ? undefined : ctx.workspace.admins.get(chat.agentUserId);
          return writeConversation(ctx, {
            objectType: 'liveChats',
            sourceId: String(chat.id),
            label,
            contactId,
            opener,
            parts,
            title: typeof mapped.standard.title === 'string' ? mapped.standard.title : null,
            attributes: mapped.attributes,
            tags: mapped.tags,
            teamId: teamKey ? (teamIdFor(ctx.workspace, ctx.map, teamKey) ?? null) : null,
            adminAssigneeId: agent?.matched ? agent.adminId : null,
            state: chat.endedAt ? 'closed' : 'open',
            actingAdminId: agent?.matched ? agent.adminId : ctx.workspace.fallbackAdminId,
            extras: { cut: cutValues(mapped), ...(openerKind ? { opener: openerKind } : {}) },
          });
        },
      );
      const carried = [
        ...(lines.get(chat.id) ?? []).map((m) => ({ objectType: 'chatMessages' as const, sourceId: String(m.id) })),
        ...(files.get(chat.id) ?? []).map((a) => ({
          objectType: 'attachments' as const,
          sourceId: attachmentSourceId(a),
        })),
      ];
      failWithParent(ctx, carried, 'its chat', ended);
    },
    { overlap: true },
  );
  if (scope.chatIds) return;
  // Lines and files of a chat that does not exist belong to no conversation: skipped by name.
  const orphan = (objectType: 'chatMessages' | 'attachments', sourceId: string, chatId: number) => {
    if (ctx.kind === 'delta' && ctx.ledger.recordState(objectType, sourceId)) return;
    const reason = `its chat ${chatId} does not exist in SmarterTrack (ChatID)`;
    journalRecord(ctx, objectType, sourceId, { state: 'skipped', reason });
  };
  for (const [chatId, transcript] of lines)
    if (!chatIds.has(chatId)) for (const m of transcript) orphan('chatMessages', String(m.id), chatId);
  for (const [chatId, list] of files)
    if (!chatIds.has(chatId)) for (const a of list) orphan('attachments', attachmentSourceId(a), chatId);
}

/** Call logs: a note-only conversation with the customer, or an instance of the workspace's Call object. */
export async function migrateCallLogs(inputs: PlanInputs, scope: ConversationScope): Promise<void> {
  const { ctx } = inputs;
  const files = new Map<number, Attachment[]>();
  for await (const a of ctx.reader.attachments()) {
    if (a.owner.kind !== 'callLog' || (scope.callLogIds && !scope.callLogIds.has(a.owner.id))) continue;
    files.set(a.owner.id, [...(files.get(a.owner.id) ?? []), a]);
  }
  await forEachRecord(
    ctx,
    ctx.reader.callLogs(),
    async (call: CallLog) => {
      if (scope.callLogIds && !scope.callLogIds.has(call.id)) return;
      const ended = await migrateRecord(
        ctx,
        'callLogs',
        String(call.id),
        async (): Promise<RecordState | undefined> => {
          const skip = (reason: string) => {
            for (const a of files.get(call.id) ?? [])
              journalRecord(ctx, 'attachments', attachmentSourceId(a), {
                state: 'skipped',
                reason: `its call log was skipped: ${reason}`,
              });
            return { state: 'skipped' as const, reason };
          };
          if (!ctx.map.objects.callLogs.enabled)
            return skip('call logs are disabled in the map (listed in the rebuild inventory)');
          if (call.deleted && !ctx.map.options.includeDeletedTickets) return skip('deleted in SmarterTrack');
          const label = `call log ${call.number ?? call.id}`;
          const { record, customValues } = callLogInput(call, inputs.lookups, inputs.values);
          const mapped = applyObjectMapping('callLogs', ctx.map.objects.callLogs, record, customValues);
          mappedOrThrow(label, mapped);
          const at = seconds(call.startedAt ?? call.createdAt, 0);

          if (ctx.map.options.callLogsAs === 'custom-object') {
            const type = ctx.map.options.callObjectType;
            const attrs = {
              ...mapped.attributes,
              ...(typeof mapped.standard.title === 'string' ? { title: mapped.standard.title } : {}),
            };
            const result = await journaledWrite(ctx, {
              op: 'create',
              objectType: 'callLogs',
              sourceId: String(call.id),
              target: {
                resource: 'custom_object_instance',
                customObjectType: type,
                description: `POST /custom_object_instances/${type} external_id=call-${call.id}`,
              },
              lookup: { by: 'external_id', value: `call-${call.id}` },
              // create-or-update by external_id: idempotent, safe to send again.
              send: () =>
                ctx.client.customObjects.createOrUpdate(type, {
                  external_id: `call-${call.id}`,
                  external_created_at: at,
                  custom_attributes: attrs as Record<string, string | number | boolean | null>,
                }),
              idOf: (o) => String(o.id),
            });
            for (const a of files.get(call.id) ?? [])
              journalRecord(ctx, 'attachments', attachmentSourceId(a), {
                state: 'skipped',
                reason: 'custom object instances take no files; the call was migrated as a custom object',
              });
            return { state: 'migrated', intercomId: result.id };
          }

          const contactId = await contactForConversation(
            ctx,
            inputs.people,
            {
              userId: call.customerUserId,
              email: call.customerEmail,
              name: call.customerName ?? call.customerPhone,
              anonymousKey: `call:${call.id}`,
            },
            label,
          );
          const { adminId, byline } = adminFor(ctx, call.agentUserId);
          const direction = call.outgoing ? 'Outgoing call to' : 'Incoming call from';
          const who = [call.customerName, call.customerPhone].filter(Boolean).join(', ');
          // A call has no written first message: the opener is a placeholder naming the call, in our words.
          const opener: PlannedPart = {
            objectType: 'callLogs',
            sourceId: String(call.id),
            kind: 'contact',
            body: textToHtml(
              `[Placeholder added by the migration, not a customer message: ${direction.toLowerCase()} ${who || 'the customer'}]${call.subject ? `\nSubject: ${call.subject}` : ''}`,
            ),
            createdAt: at,
            attachments: [],
          };
          const details = [
            byline ? `Agent: ${byline}` : null,
            call.endedAt && call.startedAt
              ? `Duration: ${Math.max(0, Math.round((seconds(call.endedAt, at) - at) / 60))} min`
              : null,
            ...mapped.notes.map((n) => `${n.label}: ${n.text}`),
          ]
            .filter(Boolean)
            .join('\n');
          const parts: PlannedPart[] = [
            {
              objectType: 'attachments',
              sourceId: `call:${call.id}:details`,
              kind: 'note',
              adminId,
              body: textToHtml(`[Call log ${call.number ?? call.id}]\n${details}`),
              createdAt: at,
              attachments: files.get(call.id) ?? [],
            },
          ];
          const teamKey = mapped.teamKeys[0];
          return writeConversation(ctx, {
            objectType: 'callLogs',
            sourceId: String(call.id),
            label,
            contactId,
            opener,
            parts,
            title: typeof mapped.standard.title === 'string' ? mapped.standard.title : null,
            attributes: mapped.attributes,
            tags: mapped.tags,
            teamId: teamKey ? (teamIdFor(ctx.workspace, ctx.map, teamKey) ?? null) : null,
            adminAssigneeId: null,
            state: 'closed',
            actingAdminId: adminId,
            extras: { cut: cutValues(mapped), opener: call.outgoing ? 'agent-opened' : 'placeholder' },
          });
        },
      );
      failWithParent(
        ctx,
        (files.get(call.id) ?? []).map((a) => ({
          objectType: 'attachments' as const,
          sourceId: attachmentSourceId(a),
        })),
        'its call log',
        ended,
      );
    },
    { overlap: true },
  );
}
