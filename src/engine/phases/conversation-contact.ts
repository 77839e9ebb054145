import { isEmailAddress } from '../../mapping/apply';
import { visitorExternalId } from '../../model/source-keys';
import type { RunContext } from '../context';
import { dependencyId, undecidedDependency } from '../dry-run-ids';
import { RecordError } from '../errors';
import { parkDuring } from '../slots';
import { journaledWrite, sha256 } from '../write';
import type { PeopleScope } from './people';

export interface Customer {
  userId: number | null;
  email: string | null;
  name: string | null;
  /** Stands for an anonymous visitor with neither user nor email, e.g. `chat:12`. */
  anonymousKey: string;
}

/**
 * The Intercom contact a conversation belongs to: the migrated end user; else (anonymous chat
 * visitors, callers, tickets whose user is gone) a contact made from the email or name the record
 * carries. Those get external_id `st-visitor-<hash>`, so a lost response is found again and one
 * visitor with many chats gets one contact.
 */
export async function contactForConversation(
  ctx: RunContext,
  people: PeopleScope,
  customer: Customer,
  label: string,
): Promise<string> {
  const userId = customer.userId === null ? null : (people.aliases.get(customer.userId) ?? customer.userId);
  const mapped = userId === null ? undefined : dependencyId(ctx, 'endUsers', String(userId));
  if (mapped) return mapped;
  if (userId !== null) waitForFailedCustomer(ctx, String(userId), label);
  const email = customer.email?.trim().toLowerCase();
  const key =
    email && isEmailAddress(email)
      ? `email:${email}`
      : customer.userId === null && customer.name?.trim()
        ? customer.anonymousKey
        : null;
  if (!key) {
    throw new RecordError(
      customer.userId === null
        ? `${label}: it has no customer, email or name, and a conversation needs a contact`
        : `${label}: its customer (end user ${customer.userId}) has no Intercom contact and the record carries no email to create one`,
      'missing_dependency',
      'customerUserId',
    );
  }
  if (customer.userId !== null)
    ctx.progress.warn(
      `${label}: end user ${customer.userId} has no Intercom contact; using the record's customer email instead`,
    );
  return visitorContact(ctx, key, key.startsWith('email:') ? email! : null, customer.name?.trim() || null);
}

/**
 * A customer whose contact failed, or whose create has no known outcome yet, is waited for rather
 * than replaced by a contact made from the record's email: that would be a second contact for the
 * same person, holding conversations the end user's contact should hold. Only a customer the run
 * skipped (or never had) falls back to the email.
 */
function waitForFailedCustomer(ctx: RunContext, userId: string, label: string): void {
  const why = undecidedDependency(ctx, 'endUsers', userId);
  if (why)
    throw new RecordError(
      `${label}: its customer (end user ${userId}) has no Intercom contact: ${why}. It is migrated with that end user`,
      'missing_dependency',
      'customerUserId',
    );
}

function visitorContact(ctx: RunContext, key: string, email: string | null, name: string | null): Promise<string> {
  const sourceId = `visitor:${key}`;
  const known = dependencyId(ctx, 'endUsers', sourceId);
  if (known) return Promise.resolve(known);
  const inFlight = ctx.visitors.get(sourceId);
  // Another record is creating this visitor: wait for it without holding a slot.
  if (inFlight) return parkDuring(inFlight);
  const externalId = visitorExternalId(sha256(key).slice(0, 20));
  const body = {
    role: 'user' as const,
    external_id: externalId,
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
  };
  const creating = journaledWrite(ctx, {
    op: 'create',
    objectType: 'endUsers',
    sourceId,
    target: { resource: 'contact', description: `POST /contacts external_id=${externalId} (conversation customer)` },
    lookup: { by: 'external_id', value: externalId },
    clientLookup: { kind: 'contact', external_id: externalId, role: 'user', ...(email ? { email } : {}) },
    send: () => ctx.client.contacts.create(body),
    idOf: (c) => c.id,
  }).then((r) => r.id);
  ctx.visitors.set(sourceId, creating);
  creating.catch(() => ctx.visitors.delete(sourceId));
  return creating;
}
