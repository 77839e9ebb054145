import type { IntercomClient } from '../intercom';
import type { CreateOrUpdateCompanyRequest } from '../intercom/schemas/companies';
import type { UpdateContactRequest } from '../intercom/schemas/contacts';
import type { UpdateConversationRequest } from '../intercom/schemas/conversations';
import type { UpdateArticleRequest } from '../intercom/schemas/help-center';
import type { UpdateTicketRequest } from '../intercom/schemas/tickets';
import type { AppliedWrite } from '../ledger';
import type { IntercomResource, JsonValue, WriteOp } from '../model/journal';
import { AssignBefore, AttachBefore, TagBefore, TicketBefore } from './before-image';

/** What undoing one write takes. `covered`: removed with a bigger object; `impossible`: Intercom cannot undo it; `keep`: it existed before the run. */
export type Undo =
  | {
      kind: 'call';
      op: WriteOp;
      verb: UndoVerb;
      /** What the call acts on (counted in the plan). */
      resource: IntercomResource;
      description: string;
      run: () => Promise<unknown>;
      /** Part of the change Intercom cannot take back (e.g. an external_id the contact did not have). */
      leftover?: string;
    }
  | { kind: 'covered'; by: string }
  | { kind: 'impossible'; reason: string }
  | { kind: 'keep'; reason: string };

export type UndoVerb = 'delete' | 'archive' | 'restore' | 'untag' | 'detach' | 'reopen' | 'close' | 'unassign';

export interface UndoContext {
  client: IntercomClient;
  /** Objects the target run created, which this rollback deletes or archives (with what hangs on them). */
  deletedConversations: Set<string>;
  /** Intercom tickets the target run created: deleted for good (their parts, tags and updates with them). */
  deletedTickets: Set<string>;
  deletedContacts: Set<string>;
  archivedCompanies: Set<string>;
  deletedTags: Set<string>;
  /** Contacts found by lookup that predate the run (never deleted). */
  preexistingContacts: Set<string>;
  /** The admin that acts for untagging and reassigning conversations and tickets: the token's own. */
  actingAdmin: () => Promise<string>;
}

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A restore body, and the fields of the before-image Intercom cannot take back. */
interface Restore {
  body: Record<string, unknown>;
  leftover: string[];
}

const CONTACT_FIELDS = [
  'email',
  'external_id',
  'name',
  'phone',
  'avatar',
  'owner_id',
  'signed_up_at',
  'last_seen_at',
  'unsubscribed_from_emails',
] as const;

/**
 * The fields of a before-image that PUT /contacts takes back. Images of the written fields hold null
 * for what the contact did not have: attributes are cleared, but Intercom cannot clear an email or
 * an external_id. (Older journals kept the whole contact: only its main fields are restored.)
 */
function contactRestore(before: JsonValue | undefined): Restore | undefined {
  if (!isObject(before)) return undefined;
  const whole = before.type === 'contact' && typeof before.id === 'string';
  const fields: readonly string[] = whole ? ['email', 'name', 'phone', 'external_id'] : CONTACT_FIELDS;
  const body: Record<string, unknown> = {};
  const leftover: string[] = [];
  for (const key of fields) {
    if (!(key in before)) continue;
    const value = before[key];
    if (key === 'email' || key === 'external_id') {
      if (typeof value === 'string' && value !== '') body[key] = value;
      else if (!whole) leftover.push(key);
    } else if (value !== undefined) body[key] = value;
  }
  if (isObject(before.custom_attributes)) body.custom_attributes = before.custom_attributes;
  return { body, leftover };
}

/** POST /companies (the upsert by company_id) with the fields as they were; strings it had none of become empty. */
function companyRestore(before: JsonValue | undefined, companyId: string): Restore | undefined {
  if (!isObject(before)) return undefined;
  const body: Record<string, unknown> = { company_id: companyId };
  const leftover: string[] = [];
  for (const [key, value] of Object.entries(before)) {
    if (key === 'custom_attributes') {
      if (isObject(value)) body.custom_attributes = value;
    } else if (['name', 'plan', 'website', 'industry'].includes(key))
      body[key] = typeof value === 'string' ? value : '';
    else if (['size', 'monthly_spend', 'remote_created_at'].includes(key)) {
      if (typeof value === 'number') body[key] = value;
      else leftover.push(key);
    }
  }
  return { body, leftover };
}

function conversationRestore(before: JsonValue | undefined): Restore | undefined {
  if (!isObject(before)) return undefined;
  const body: Record<string, unknown> = {};
  if ('title' in before) body.title = typeof before.title === 'string' ? before.title : '';
  if (isObject(before.custom_attributes)) body.custom_attributes = before.custom_attributes;
  return { body, leftover: [] };
}

/** PUT /tickets with the state and attributes as they were (an attribute it did not have is cleared with null). */
function ticketRestore(before: JsonValue | undefined): Restore | undefined {
  const image = TicketBefore.safeParse(before);
  return image.success ? { body: { ...image.data }, leftover: [] } : undefined;
}

function articleRestore(before: JsonValue | undefined): Restore | undefined {
  if (!isObject(before)) return undefined;
  const body: Record<string, unknown> = {};
  const leftover: string[] = [];
  for (const [key, value] of Object.entries(before)) {
    if (key === 'title') {
      if (typeof value === 'string' && value !== '') body.title = value;
      else leftover.push(key);
    } else if (key === 'body' || key === 'description') body[key] = typeof value === 'string' ? value : '';
    else if (key === 'state' && (value === 'published' || value === 'draft')) body.state = value;
    else if (key === 'author_id' && value !== null && Number.isInteger(Number(value))) body.author_id = Number(value);
    else if (key === 'parent_id') body.parent_id = value === null ? null : String(value);
  }
  return { body, leftover };
}

const cannotClear = (fields: string[]) =>
  fields.length
    ? `Intercom cannot clear ${fields.join(' and ')}: left as the run set ${fields.length === 1 ? 'it' : 'them'}`
    : undefined;

/**
 * Tag writes without a before-image (journaled before they were kept, or on a ticket an earlier run
 * created, whose tags 2.16 cannot show): only what deleting the tagged object or the tag covers.
 */
function legacyTagUndo(write: AppliedWrite, ctx: UndoContext): Undo {
  const tagged = write.intent.target.tagged;
  const tagId = write.intent.target.intercomId ?? write.outcome.outcome.intercomId;
  if (tagged?.object === 'ticket') {
    if (ctx.deletedTickets.has(tagged.id)) return { kind: 'covered', by: `ticket ${tagged.id}` };
    return {
      kind: 'impossible',
      reason: `whether ticket ${tagged.id} had this tag before the run is not known (2.16 shows no ticket's tags), so it is left; remove it in Intercom if it should go`,
    };
  }
  if (tagged?.object === 'conversation') {
    if (ctx.deletedConversations.has(tagged.id)) return { kind: 'covered', by: `conversation ${tagged.id}` };
    return {
      kind: 'impossible',
      reason: 'untagging a conversation needs the admin who tagged it; remove the tag in Intercom',
    };
  }
  return { kind: 'covered', by: `the tagged object's removal or tag ${tagId}` };
}

/** Close/open need an acting admin: the one the original write acted as, else the token's own admin. */
async function actingAdminOf(write: AppliedWrite, ctx: UndoContext): Promise<string> {
  return write.intent.target.actingAdminId ?? (await ctx.actingAdmin());
}

/** What an undo builder reads of one applied write. */
interface UndoInput {
  write: AppliedWrite;
  intent: AppliedWrite['intent'];
  ctx: UndoContext;
  client: IntercomClient;
  /** The Intercom id the write's outcome names. */
  id: string;
  resource: IntercomResource;
  /** The conversation the write acted on, when it acted on one. */
  onConversation: string | undefined;
  /** That conversation is deleted by this rollback. */
  conversationGone: boolean;
  /** The Intercom ticket the write acted on (a ticket or ticket part write), when it acted on one. */
  onTicket: string | undefined;
  /** That ticket is deleted by this rollback. */
  ticketGone: boolean;
}

type UndoBuilder = (w: UndoInput) => Undo;

const call = (
  op: WriteOp,
  verb: UndoVerb,
  on: IntercomResource,
  description: string,
  run: () => Promise<unknown>,
  leftover?: string,
): Undo => ({ kind: 'call', op, verb, resource: on, description, run, ...(leftover ? { leftover } : {}) });
const covered = (by: string): Undo => ({ kind: 'covered', by });
const impossible = (reason: string): Undo => ({ kind: 'impossible', reason });

/** An object the run found already there (matched, then written) is kept, whatever it is. */
const unlessExistedBefore =
  (build: UndoBuilder): UndoBuilder =>
  (w) =>
    w.intent.existedBefore ? { kind: 'keep', reason: `${w.resource} ${w.id} existed before the run` } : build(w);

/** What the run did to a conversation this rollback deletes goes with it. */
const unlessConversationGone =
  (build: UndoBuilder): UndoBuilder =>
  (w) =>
    w.conversationGone ? covered(`conversation ${w.onConversation}`) : build(w);

/** What the run did to an Intercom ticket this rollback deletes goes with it. */
const unlessTicketGone =
  (build: UndoBuilder): UndoBuilder =>
  (w) =>
    w.ticketGone ? covered(`ticket ${w.onTicket}`) : build(w);

/** Undoing a create: delete (or archive) what the run made. */
const CREATED: Partial<Record<IntercomResource, UndoBuilder>> = {
  custom_object_instance: ({ intent, id, client, resource }) => {
    const type = intent.target.customObjectType;
    if (!type)
      return impossible(`the custom object type of instance ${id} is not in the journal; delete it in Intercom`);
    return call('delete', 'delete', resource, `delete ${type} instance ${id}`, () =>
      client.customObjects.delete(type, id),
    );
  },
  conversation: ({ id, client, resource }) =>
    call('delete', 'delete', resource, `delete conversation ${id}`, () => client.conversations.delete(id)),
  ticket: ({ id, client, resource, ctx }) => {
    // Only a ticket the context found to be the run's own (a lookup may have found another's).
    if (!ctx.deletedTickets.has(id)) return { kind: 'keep', reason: `ticket ${id} is not one the run created` };
    return call('delete', 'delete', resource, `delete ticket ${id} (Intercom deletes tickets for good)`, () =>
      client.tickets.delete(id),
    );
  },
  contact: ({ id, client, resource, ctx }) => {
    if (ctx.preexistingContacts.has(id)) return { kind: 'keep', reason: `contact ${id} existed before the run` };
    return call('delete', 'delete', resource, `delete contact ${id}`, () => client.contacts.delete(id));
  },
  company: ({ id, client, resource }) =>
    call('archive', 'archive', resource, `archive company ${id} (Intercom only archives companies)`, () =>
      client.companies.delete(id),
    ),
  tag: ({ id, client, resource }) =>
    call('delete', 'delete', resource, `delete tag ${id}`, () => client.tags.delete(id)),
  data_attribute: ({ id, client, resource }) =>
    call('archive', 'archive', resource, `archive attribute ${id} (attributes cannot be deleted)`, () =>
      client.dataAttributes.archive(id),
    ),
  conversation_attribute: ({ id, client, resource }) =>
    call('archive', 'archive', resource, `archive conversation attribute ${id}`, () =>
      client.dataAttributes.archiveConversationAttribute(id),
    ),
  ticket_type: ({ id, client, resource }) =>
    call('archive', 'archive', resource, `archive ticket type ${id} (ticket types cannot be deleted)`, () =>
      client.ticketTypes.archive(id),
    ),
  ticket_type_attribute: ({ intent, id, client, resource }) => {
    const typeId = intent.target.ticketTypeId;
    if (!typeId) return impossible(`the ticket type of attribute ${id} is not in the journal; archive it in Intercom`);
    return call('archive', 'archive', resource, `archive attribute ${id} of ticket type ${typeId}`, () =>
      client.ticketTypes.archiveAttribute(typeId, id),
    );
  },
  help_center_collection: ({ id, client, resource }) =>
    call('delete', 'delete', resource, `delete collection ${id}`, () => client.helpCenter.deleteCollection(id)),
  article: ({ id, client, resource }) =>
    call('delete', 'delete', resource, `delete article ${id}`, () => client.helpCenter.deleteArticle(id)),
};

/** Undoing a tag: untag the object, unless removing the object or the tag covers it. */
const UNTAG: Record<TagBefore['object'], (w: UndoInput, before: TagBefore) => Undo> = {
  contact: ({ ctx, client }, { id, tagId, tagName }) => {
    if (ctx.deletedContacts.has(id)) return covered(`contact ${id}`);
    return call('untag', 'untag', 'contact', `untag contact ${id} "${tagName}"`, () =>
      client.tags.untagContact(id, tagId),
    );
  },
  company: ({ client }, { id, tagName }) =>
    call('untag', 'untag', 'company', `untag company ${id} "${tagName}"`, () =>
      client.tags.tagCompanies(tagName, [id], true),
    ),
  conversation: ({ ctx, client }, { id, tagId, tagName }) => {
    if (ctx.deletedConversations.has(id)) return covered(`conversation ${id}`);
    const untag = async () => client.tags.untagConversation(id, tagId, await ctx.actingAdmin());
    return call('untag', 'untag', 'conversation', `untag conversation ${id} "${tagName}"`, untag);
  },
  ticket: ({ ctx, client }, { id, tagId, tagName }) => {
    if (ctx.deletedTickets.has(id)) return covered(`ticket ${id}`);
    const untag = async () => client.tickets.untag(id, tagId, await ctx.actingAdmin());
    return call('untag', 'untag', 'ticket', `untag ticket ${id} "${tagName}"`, untag);
  },
};

const untag: UndoBuilder = (w) => {
  const before = TagBefore.safeParse(w.intent.beforeImage);
  if (!before.success) return legacyTagUndo(w.write, w.ctx);
  if (w.ctx.deletedTags.has(before.data.tagId)) return covered(`tag ${before.data.tagId}`);
  return UNTAG[before.data.object](w, before.data);
};

const detach: UndoBuilder = ({ intent, ctx, client }) => {
  const before = AttachBefore.safeParse(intent.beforeImage);
  if (!before.success) return covered('the contact (deleted) or the company (archived, contacts detached)');
  const { contactId, companyId } = before.data;
  if (ctx.deletedContacts.has(contactId)) return covered(`contact ${contactId}`);
  if (ctx.archivedCompanies.has(companyId)) return covered(`company ${companyId} (archiving detaches its contacts)`);
  const description = `detach contact ${contactId} from company ${companyId}`;
  return call('detach', 'detach', 'contact', description, () => client.contacts.detachCompany(contactId, companyId));
};

/** The restore call of an update: the body from the before-image (undefined when it cannot be sent back). */
interface RestoreCall {
  restore: Restore | undefined;
  description: string;
  send: (body: Record<string, unknown>) => Promise<unknown>;
}

/** How an update of one resource is put back from its before-image. */
interface Restorer {
  /** What covers the update when this rollback removes the object itself. */
  coveredBy?: (w: UndoInput, target: string) => string | undefined;
  /** Without a before-image the update is left to the object's removal (else nothing can restore it). */
  coveredWithoutImage?: true;
  restore: (w: UndoInput, target: string, before: JsonValue) => RestoreCall | undefined;
}

const restoring =
  (r: Restorer): UndoBuilder =>
  (w) => {
    const target = w.intent.target.intercomId ?? w.id;
    const by = r.coveredBy?.(w, target);
    if (by !== undefined) return covered(by);
    if (w.intent.beforeImage === undefined) {
      if (r.coveredWithoutImage) return covered(`${w.resource} removal, or left as updated (no before-image kept)`);
      return impossible(`no before-image to restore: ${w.intent.target.description}`);
    }
    const how = r.restore(w, target, w.intent.beforeImage);
    if (!how?.restore)
      return impossible(`no way to restore a ${w.resource} from its before-image: ${w.intent.target.description}`);
    const { body, leftover } = how.restore;
    return call('restore', 'restore', w.resource, how.description, () => how.send(body), cannotClear(leftover));
  };

/** Undoing an update: the resources whose before-image can be sent back. */
const RESTORED: Partial<Record<IntercomResource, UndoBuilder>> = {
  contact: restoring({
    coveredBy: (w, target) => (w.ctx.deletedContacts.has(target) ? 'the contact' : undefined),
    restore: ({ client }, target, before) => ({
      restore: contactRestore(before),
      description: `restore contact ${target} as it was before the run`,
      send: (body) => client.contacts.update(target, body as UpdateContactRequest),
    }),
  }),
  company: restoring({
    coveredBy: (w, target) => (w.ctx.archivedCompanies.has(target) ? `company ${target} (archived)` : undefined),
    coveredWithoutImage: true,
    restore: ({ client, intent }, target, before) => ({
      restore: intent.lookup.by === 'company_id' ? companyRestore(before, intent.lookup.value) : undefined,
      description: `restore company ${target} as it was before the run (never archived: it existed before)`,
      send: (body) => client.companies.createOrUpdate(body as CreateOrUpdateCompanyRequest),
    }),
  }),
  conversation: restoring({
    coveredBy: (w) => (w.conversationGone ? `conversation ${w.onConversation}` : undefined),
    restore: ({ client }, target, before) => ({
      restore: conversationRestore(before),
      description: `restore title and attributes of conversation ${target}`,
      send: (body) => client.conversations.update(target, body as UpdateConversationRequest),
    }),
  }),
  ticket: restoring({
    coveredBy: (w) => (w.ticketGone ? `ticket ${w.onTicket}` : undefined),
    restore: ({ client }, target, before) => ({
      restore: ticketRestore(before),
      description: `restore the state and attributes of ticket ${target} as they were before the run`,
      send: (body) => client.tickets.update(target, body as UpdateTicketRequest),
    }),
  }),
  article: restoring({
    coveredWithoutImage: true,
    restore: ({ client }, target, before) => ({
      restore: articleRestore(before),
      description: `restore article ${target} as it was before the run`,
      send: (body) => client.helpCenter.updateArticle(target, body as UpdateArticleRequest),
    }),
  }),
};

const reopen: UndoBuilder = ({ write, ctx, client, onConversation }) => {
  const open = async () => client.conversations.open(onConversation!, await actingAdminOf(write, ctx));
  return call('open', 'reopen', 'conversation', `reopen conversation ${onConversation}`, open);
};

const closeAgain: UndoBuilder = ({ write, ctx, client, onConversation }) => {
  const close = async () => client.conversations.close(onConversation!, await actingAdminOf(write, ctx));
  return call('close', 'close', 'conversation', `close conversation ${onConversation} again`, close);
};

/** An assignment put back: to the previous assignee, or none when it had none (previousId "0"). */
function assignedBack(
  on: 'conversation' | 'ticket',
  id: string | undefined,
  beforeImage: JsonValue | undefined,
  send: (before: AssignBefore) => () => Promise<unknown>,
): Undo {
  const before = AssignBefore.safeParse(beforeImage);
  if (!before.success) return impossible(`the previous assignee of ${on} ${id} is not known`);
  const { assignee, previousId } = before.data;
  if (previousId === '0')
    return call('assign', 'unassign', on, `unassign ${on} ${id} from its ${assignee} (it had none)`, send(before.data));
  return call('assign', 'restore', on, `assign ${on} ${id} back to ${assignee} ${previousId}`, send(before.data));
}

const assignBack: UndoBuilder = ({ intent, ctx, client, onConversation }) =>
  assignedBack(
    'conversation',
    onConversation,
    intent.beforeImage,
    ({ assignee, previousId }) =>
      async () =>
        client.conversations.assign(onConversation!, await ctx.actingAdmin(), { type: assignee, id: previousId }),
  );

/**
 * A ticket has one assignee of each kind; PUT /tickets sets one by id, and "0" unassigns both. A
 * ticket that had no assignee of the kind the run set is unassigned, then given back the other kind's.
 */
const assignTicketBack: UndoBuilder = ({ intent, ctx, client, onTicket }) => {
  const ticketId = onTicket!;
  const update = async (assigneeId: string) =>
    client.tickets.update(ticketId, { assignee_id: assigneeId, admin_id: Number(await ctx.actingAdmin()) });
  return assignedBack('ticket', ticketId, intent.beforeImage, ({ assignee, previousId }) => {
    if (previousId !== '0') return () => update(previousId);
    return async () => {
      const ticket = await client.tickets.get(ticketId);
      const other = assignee === 'admin' ? ticket.team_assignee_id : ticket.admin_assignee_id;
      await update('0');
      if (other != null && String(other) !== '0') await update(String(other));
    };
  });
};

const partStays: UndoBuilder = ({ intent, onConversation }) =>
  impossible(
    `Intercom cannot delete a part of conversation ${onConversation} (created by an earlier run): ${intent.target.description}`,
  );

const ticketPartStays: UndoBuilder = ({ intent, onTicket }) =>
  impossible(
    `Intercom cannot delete a part of ticket ${onTicket} (created by an earlier run): ${intent.target.description}`,
  );

const reArchive: UndoBuilder = ({ intent, id, client, resource }) => {
  const target = intent.target.intercomId ?? id;
  const description = `archive attribute ${target} again (it was archived before the run)`;
  return call('archive', 'archive', resource, description, () => client.dataAttributes.archive(target));
};

type ByResource = Partial<Record<IntercomResource, UndoBuilder>>;
const wrapEach = (table: ByResource, wrap: (build: UndoBuilder) => UndoBuilder): ByResource =>
  Object.fromEntries(Object.entries(table).map(([resource, build]) => [resource, wrap(build)]));

/** A resource the operation has no entry of its own for. */
const ANY = '*';

/**
 * How each write is undone, by operation and then by the resource it wrote (`*`: any other). An
 * operation missing here has no undo: it is listed as impossible.
 */
const UNDO: Partial<Record<WriteOp, Partial<Record<IntercomResource | typeof ANY, UndoBuilder>>>> = {
  create: {
    ...wrapEach(CREATED, unlessExistedBefore),
    [ANY]: unlessExistedBefore(({ resource }) => impossible(`no way to remove a ${resource} through the API`)),
  },
  reply: { ticket_part: unlessTicketGone(ticketPartStays), [ANY]: unlessConversationGone(partStays) },
  note: { ticket_part: unlessTicketGone(ticketPartStays), [ANY]: unlessConversationGone(partStays) },
  tag: { [ANY]: untag },
  attach: { [ANY]: detach },
  update: { ...RESTORED, [ANY]: restoring({ restore: () => undefined }) },
  unarchive: {
    data_attribute: reArchive,
    [ANY]: ({ intent, resource }) => impossible(`${intent.op} of a ${resource} has no undo`),
  },
  close: { [ANY]: unlessConversationGone(reopen) },
  open: { [ANY]: unlessConversationGone(closeAgain) },
  assign: { ticket: unlessTicketGone(assignTicketBack), [ANY]: unlessConversationGone(assignBack) },
};

/** What undoing one applied write takes: the builder its operation and resource name in UNDO. */
export function undoOf(write: AppliedWrite, ctx: UndoContext): Undo {
  const { intent, outcome } = write;
  const id = outcome.outcome.intercomId;
  const resource = intent.target.resource;
  const ofTicket = resource === 'ticket' || resource === 'ticket_part';
  const onTicket = ofTicket ? (intent.target.intercomId ?? (resource === 'ticket' ? id : undefined)) : undefined;
  const ticketGone = onTicket !== undefined && ctx.deletedTickets.has(onTicket);
  const onConversation = ofTicket
    ? undefined
    : (intent.target.intercomId ?? (resource === 'conversation' ? id : undefined));
  const conversationGone = onConversation !== undefined && ctx.deletedConversations.has(onConversation);
  const byResource = UNDO[intent.op];
  const build = byResource?.[resource] ?? byResource?.[ANY];
  if (!build) return impossible(`${intent.op} has no undo`);
  return build({
    write,
    intent,
    ctx,
    client: ctx.client,
    id,
    resource,
    onConversation,
    conversationGone,
    onTicket,
    ticketGone,
  });
}
