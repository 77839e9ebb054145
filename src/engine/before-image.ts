import { z } from 'zod';

import { type IntentEntry, JsonValue, type WriteOp } from '../model/journal';
import type { ObjectType } from '../model/object-types';
import type { RunContext } from './context';

/**
 * Before-images: what an object that the run did not create looked like before the run changed it,
 * journaled in the intent of the change so that rollback can put it back (DESIGN.md: objects that
 * existed before a run are never deleted or archived by it; what it changed is restored).
 *
 * - Field updates keep the written fields only, each with its value before (null: it had none), so
 *   a restore sends back exactly what the run overwrote and clears what it added.
 * - Tagging and linking keep the link they add and that it was absent before (`tagged: false`,
 *   `attached: false`): the run writes a tag or a company link only when the object lacks it, and
 *   rollback removes exactly those.
 */

/** Any JSON value, from an object read back from Intercom. */
function json(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/**
 * The before-image of an update: for every field the update writes, its value in `before`
 * (null when absent); custom attributes key by key. `read` maps a field to its value in the
 * object as Intercom returns it, when that differs from the request's shape (a company's plan).
 */
export function fieldsBefore(
  before: Record<string, unknown>,
  written: Record<string, unknown>,
  read: (field: string, object: Record<string, unknown>) => unknown = (field, object) => object[field],
): { [key: string]: JsonValue } {
  const image: { [key: string]: JsonValue } = {};
  for (const [field, value] of Object.entries(written)) {
    if (field === 'custom_attributes' && value && typeof value === 'object') {
      const old = (before.custom_attributes ?? {}) as Record<string, unknown>;
      image.custom_attributes = Object.fromEntries(Object.keys(value).map((k) => [k, json(old[k] ?? null)]));
    } else image[field] = json(read(field, before) ?? null);
  }
  return image;
}

/** A company's `plan` comes back as an object; requests send its name. */
export function companyField(field: string, company: Record<string, unknown>): unknown {
  if (field !== 'plan') return company[field];
  const plan = company.plan;
  return plan && typeof plan === 'object' ? ((plan as { name?: unknown }).name ?? null) : (plan ?? null);
}

export const TagBefore = z.object({
  object: z.enum(['contact', 'company', 'conversation', 'ticket']),
  id: z.string().min(1),
  tagId: z.string().min(1),
  tagName: z.string(),
  tagged: z.literal(false),
});
export type TagBefore = z.infer<typeof TagBefore>;

export const AttachBefore = z.object({
  contactId: z.string().min(1),
  companyId: z.string().min(1),
  attached: z.literal(false),
});
export type AttachBefore = z.infer<typeof AttachBefore>;

/** A conversation's or an Intercom ticket's assignment before the run assigned it (0: nobody). */
export const AssignBefore = z.object({
  assignee: z.enum(['admin', 'team']),
  previousId: z.string(),
});
export type AssignBefore = z.infer<typeof AssignBefore>;

/**
 * An Intercom ticket's fields before the run updated them (a ticket an earlier run created), in the
 * shape of the PUT /tickets body that puts them back: the previous `ticket_state_id` of a state
 * change; for an attribute or title update, each written attribute by name with its value before
 * (null: it had none, cleared on restore).
 */
export const TicketBefore = z
  .strictObject({
    ticket_state_id: z.string().min(1).optional(),
    ticket_attributes: z.record(z.string(), JsonValue).optional(),
  })
  .refine((b) => b.ticket_state_id !== undefined || b.ticket_attributes !== undefined, {
    message: 'a ticket before-image holds ticket_state_id or ticket_attributes',
  });
export type TicketBefore = z.infer<typeof TicketBefore>;

/**
 * The before-image of a PUT /tickets/{id} (state, attributes or title) of a ticket an earlier run
 * created: `ticket` as read just before, `written` the body about to be sent. Undefined when the
 * ticket as read says nothing to put back (no state, no attribute written).
 */
export function ticketBefore(
  ticket: { ticket_state?: { id: string | number } | null; ticket_attributes?: Record<string, unknown> | null },
  written: { ticket_state_id?: string; ticket_attributes?: Record<string, unknown> },
): TicketBefore | undefined {
  const image: TicketBefore = {};
  if (written.ticket_state_id !== undefined && ticket.ticket_state)
    image.ticket_state_id = String(ticket.ticket_state.id);
  if (written.ticket_attributes) {
    const old = ticket.ticket_attributes ?? {};
    image.ticket_attributes = Object.fromEntries(
      Object.keys(written.ticket_attributes).map((name) => [name, json(old[name] ?? null)]),
    );
  }
  return image.ticket_state_id !== undefined || image.ticket_attributes !== undefined ? image : undefined;
}

/**
 * An intent of this run (an earlier attempt, or one whose outcome another process did not write)
 * still waiting for its outcome for this record. While there is one, the object it may have created
 * must not be taken for one that existed before the run: the write goes through journaledWrite,
 * which resolves it first.
 */
export function pendingIntentOf(
  ctx: RunContext,
  objectType: ObjectType,
  sourceId: string,
  ops: readonly WriteOp[],
): IntentEntry | undefined {
  return ctx.journal
    .pendingIntents()
    .find((i) => i.objectType === objectType && i.sourceId === sourceId && ops.includes(i.op));
}

/** Ids of the tags an Intercom object carries (the shapes contacts, companies and conversations use). */
export function tagIdsOf(list: { id: string | number }[] | null | undefined): Set<string> {
  return new Set((list ?? []).map((t) => String(t.id)));
}
