import { type Company, NotFoundError } from '../../intercom';
import { applyObjectMapping, cutOf, hasErrors, type MappedRecord } from '../../mapping/apply';
import type { RecordState } from '../../model/journal';
import type { EndUser, Organization } from '../../model/source';
import { isVisitorExternalId } from '../../model/source-keys';
import { type AttachBefore, companyField, fieldsBefore, pendingIntentOf, tagIdsOf } from '../before-image';
import { forEachRecord } from '../concurrent';
import type { RunContext } from '../context';
import type { CustomValueIndex } from '../custom-values';
import { dependencyId, undecidedDependency } from '../dry-run-ids';
import { RecordError } from '../errors';
import { fingerprint } from '../fingerprint';
import { companyInput, contactInput } from '../mapping-inputs';
import { journalRecord, migrateRecord } from '../record-outcome';
import { journaledWrite, WriteMemory } from '../write';
import { applyTag } from './tags';

/** Which people a run covers (sample: the customers of the sampled tickets and their companies). */
export interface PeopleScope {
  userIds?: ReadonlySet<number>;
  organizationIds?: ReadonlySet<number>;
  /** Duplicate-email users → the user whose contact they share. */
  aliases: ReadonlyMap<number, number>;
  /** Users some migrated conversation needs, whatever their email. */
  referenced: ReadonlySet<number>;
  /** Each user's organizations (a ticket of a user in exactly one gets that company). */
  organizationsOf: ReadonlyMap<number, readonly number[]>;
}

function firstError(mapped: MappedRecord): RecordError {
  const issue = mapped.issues.find((i) => i.severity === 'error');
  return new RecordError(
    issue ? `${issue.source} → ${issue.target}: ${issue.message}` : 'mapping failed',
    'validation',
    issue?.source,
  );
}

export async function migrateCompanies(ctx: RunContext, scope: PeopleScope): Promise<void> {
  const map = ctx.map.objects.companies;
  await forEachRecord(ctx, ctx.reader.organizations(), async (org: Organization) => {
    if (scope.organizationIds && !scope.organizationIds.has(org.id)) return;
    await migrateRecord(ctx, 'organizations', String(org.id), async (): Promise<RecordState | undefined> => {
      if (!map.enabled) return { state: 'skipped', reason: 'companies are disabled in the map' };
      const { record } = companyInput(org);
      const mapped = applyObjectMapping('companies', map, record);
      if (hasErrors(mapped)) throw firstError(mapped);
      for (const w of mapped.issues)
        ctx.progress.warn(`organization ${org.id}: ${w.source}: ${notesNotWritten(w.message)}`);
      const body = {
        company_id: String(org.id),
        name: (mapped.standard.name as string | undefined) ?? org.name ?? `Organization ${org.id}`,
        ...Object.fromEntries(Object.entries(mapped.standard).filter(([k]) => k !== 'name')),
        ...(Object.keys(mapped.attributes).length ? { custom_attributes: mapped.attributes } : {}),
      };
      const print = fingerprint(body);
      const previous = ctx.ledger.recordState('organizations', String(org.id))?.result;
      if (previous?.state === 'migrated' && previous.fingerprint === print) {
        return ctx.kind === 'delta'
          ? undefined
          : {
              state: 'migrated',
              intercomId: previous.intercomId,
              fingerprint: print,
              ...cutOf(mapped, false),
              ...(previous.existedBefore ? { existedBefore: true } : {}),
            };
      }
      const target = await companyTarget(ctx, String(org.id));
      const { company_id: _key, ...fields } = body;
      // create-or-update by company_id: idempotent, so a lost response is simply sent again. A company
      // that was already there is updated with its before-image journaled, never created (nor archived by rollback).
      const result = await journaledWrite(ctx, {
        op: target.op,
        objectType: 'organizations',
        sourceId: String(org.id),
        target: {
          resource: 'company',
          ...(target.before ? { intercomId: String(target.before.id) } : {}),
          description: `POST /companies company_id=${org.id}`,
        },
        lookup: { by: 'company_id', value: String(org.id) },
        // An update changes a company this run did not create: it existed before the run (IntentBody.existedBefore).
        ...(target.op === 'update' ? { existedBefore: true } : {}),
        ...(target.before ? { beforeImage: fieldsBefore(target.before, fields, companyField) } : {}),
        send: () => ctx.client.companies.createOrUpdate(body),
        idOf: (c) => c.id,
      });
      await tagRecord(ctx, mapped.tags, 'organizations', String(org.id), 'company', result.id, target.tags, (tag) =>
        ctx.client.tags.tagCompanies(tag.name, [result.id]),
      );
      return {
        state: 'migrated',
        intercomId: result.id,
        fingerprint: print,
        ...cutOf(mapped, false),
        ...(target.existedBefore ? { existedBefore: true } : {}),
      };
    });
  });
}

/** What the upsert of a company will be: a create, or an update of a company already in Intercom (with what it looked like). */
interface CompanyTarget {
  op: 'create' | 'update';
  /** The company was in Intercom before the migration (same company_id), not created by any run nor adopted. */
  existedBefore: boolean;
  /** The company as read before this run changes it (absent: this run creates it). */
  before?: Company & Record<string, unknown>;
  /** Its tags before this run (absent: a company this run creates has none). */
  tags?: Set<string>;
}

async function companyTarget(ctx: RunContext, sourceId: string): Promise<CompanyTarget> {
  if (ctx.options.dryRun) return { op: 'create', existedBefore: false };
  const mapping = ctx.ledger.mapping('organizations', sourceId);
  const pending = pendingIntentOf(ctx, 'organizations', sourceId, ['create', 'update']);
  // This run created it (an earlier attempt): the same create, which the run's memory answers.
  if (mapping?.createdByRun === ctx.runId || pending?.op === 'create') return { op: 'create', existedBefore: false };
  const existedBefore = pending?.existedBefore ?? mapping?.existedBefore ?? false;
  const current = mapping
    ? await ctx.client.companies
        .get(mapping.intercomId)
        .catch((e: unknown) => (e instanceof NotFoundError ? undefined : Promise.reject(e)))
    : await ctx.client.companies.findByCompanyId(sourceId);
  if (!current) return { op: 'create', existedBefore: false };
  return {
    op: 'update',
    existedBefore: mapping ? existedBefore : true,
    before: current as Company & Record<string, unknown>,
    tags: tagIdsOf(current.tags?.tags),
  };
}

async function tagRecord(
  ctx: RunContext,
  names: string[],
  objectType: 'organizations' | 'endUsers',
  sourceId: string,
  object: 'contact' | 'company',
  objectId: string,
  present: ReadonlySet<string> | undefined,
  send: (tag: { id: string; name: string }) => Promise<unknown>,
): Promise<void> {
  const all = ctx.kind === 'sample' ? [...names, ctx.map.options.runTag] : names;
  for (const name of all) {
    await applyTag(ctx, {
      objectType,
      sourceId,
      object,
      objectId,
      name,
      present,
      description: `tag ${object} ${sourceId} "${name}"`,
      send,
    });
  }
}

/**
 * Contacts and companies get no notes from this migration (the client has no note endpoint yet), so a
 * cut value is not kept whole anywhere: the warning says so, and the record counts it as cut.
 */
function notesNotWritten(message: string): string {
  return message.replace(
    ', whole value kept in a note',
    '; contacts and companies take no notes here, so the rest is not kept (counted as cut)',
  );
}

export async function migrateContacts(
  ctx: RunContext,
  scope: PeopleScope,
  userValues: CustomValueIndex,
): Promise<void> {
  const map = ctx.map.objects.contacts;
  await forEachRecord(ctx, ctx.reader.endUsers(), async (user: EndUser) => {
    if (scope.userIds && !scope.userIds.has(user.id)) return;
    await migrateRecord(ctx, 'endUsers', String(user.id), () => migrateContact(ctx, map, scope, user, userValues));
  });
}

async function migrateContact(
  ctx: RunContext,
  map: RunContext['map']['objects']['contacts'],
  scope: PeopleScope,
  user: EndUser,
  userValues: CustomValueIndex,
): Promise<RecordState | undefined> {
  const sourceId = String(user.id);
  const alias = scope.aliases.get(user.id);
  if (alias !== undefined)
    return { state: 'skipped', reason: `same email as end user ${alias}: their conversations go to that contact` };
  if (!map.enabled) return { state: 'skipped', reason: 'contacts are disabled in the map' };
  const needed = scope.referenced.has(user.id);
  if (user.deleted && !needed)
    return { state: 'skipped', reason: 'deleted in SmarterTrack and no migrated conversation needs it' };
  if (!user.email && !needed)
    return { state: 'skipped', reason: 'no email address and no migrated conversation needs it' };

  const { record, customValues } = contactInput(user, userValues);
  const mapped = applyObjectMapping('contacts', map, record, customValues);
  if (hasErrors(mapped)) throw firstError(mapped);
  for (const w of mapped.issues) ctx.progress.warn(`end user ${user.id}: ${w.source}: ${notesNotWritten(w.message)}`);
  const body = {
    role: 'user' as const,
    external_id: sourceId,
    ...mapped.standard,
    ...(Object.keys(mapped.attributes).length ? { custom_attributes: mapped.attributes } : {}),
  } as Record<string, unknown> & { role: 'user'; external_id: string };
  if (body.email === null || body.email === '') delete body.email;
  const print = fingerprint(body);
  const previous = ctx.ledger.recordState('endUsers', sourceId)?.result;
  if (previous?.state === 'migrated' && previous.fingerprint === print) {
    return ctx.kind === 'delta'
      ? undefined
      : {
          state: 'migrated',
          intercomId: previous.intercomId,
          fingerprint: print,
          ...cutOf(mapped, false),
          ...(previous.existedBefore ? { existedBefore: true } : {}),
        };
  }
  const tagNames = ctx.kind === 'sample' ? [...mapped.tags, ctx.map.options.runTag] : mapped.tags;

  // A contact an earlier run created or matched (its record changed, or failed since): updated in
  // place, with the fields it overwrites journaled as they were.
  const mapping = ctx.ledger.mapping('endUsers', sourceId);
  const known =
    previous?.state === 'migrated'
      ? previous.intercomId
      : mapping && mapping.createdByRun !== ctx.runId
        ? mapping.intercomId
        : undefined;
  const before =
    known && !ctx.options.dryRun
      ? await ctx.client.contacts
          .get(known)
          .catch((e: unknown) => (e instanceof NotFoundError ? undefined : Promise.reject(e)))
      : undefined;
  if (known && (before || ctx.options.dryRun)) {
    const existedBefore =
      previous?.state === 'migrated' ? previous.existedBefore === true : mapping?.existedBefore === true;
    const { role: _role, ...all } = body;
    // A contact that was in Intercom before the migration keeps its own fields: only the link and the attributes are written.
    const update = existedBefore
      ? { external_id: sourceId, ...(body.custom_attributes ? { custom_attributes: body.custom_attributes } : {}) }
      : all;
    await journaledWrite(ctx, {
      op: 'update',
      objectType: 'endUsers',
      sourceId,
      target: { resource: 'contact', intercomId: known, description: `PUT /contacts/${known} (${print})` },
      lookup: { by: 'intercom_id', id: known },
      ...(existedBefore ? { existedBefore: true } : {}),
      ...(before ? { beforeImage: fieldsBefore(before, update) } : {}),
      send: () => ctx.client.contacts.update(known, update as Parameters<typeof ctx.client.contacts.update>[1]),
      idOf: (c) => c.id,
    });
    // A record that failed after its contact was written: the tags it may not have got yet.
    if (previous?.state !== 'migrated' && tagNames.length) {
      const present = ctx.options.dryRun ? new Set<string>() : tagIdsOf(await ctx.client.contacts.tags(known));
      await tagRecord(ctx, mapped.tags, 'endUsers', sourceId, 'contact', known, present, (tag) =>
        ctx.client.tags.tagContact(known, tag.id),
      );
    }
    return {
      state: 'migrated',
      intercomId: known,
      fingerprint: print,
      ...cutOf(mapped, false),
      ...(existedBefore ? { existedBefore: true } : {}),
    };
  }

  const created = await journaledWrite(ctx, {
    op: 'create',
    objectType: 'endUsers',
    sourceId,
    target: { resource: 'contact', description: `POST /contacts external_id=${sourceId}` },
    lookup: { by: 'external_id', value: sourceId },
    clientLookup: {
      kind: 'contact',
      external_id: sourceId,
      role: 'user',
      ...(typeof body.email === 'string' ? { email: body.email } : {}),
    },
    send: () => ctx.client.contacts.create(body),
    idOf: (c) => c.id,
  });
  let existedBefore = false;
  let present: Set<string> | undefined;
  if (created.resolvedBy !== 'response' && !ctx.options.dryRun) {
    // A 409 names a contact that may predate the migration (same email): never treat it as ours.
    const existing = await ctx.client.contacts.get(created.id);
    const matchDescription = `PUT /contacts/${created.id} (existing contact, ${print})`;
    const matchKey = WriteMemory.key('update', 'endUsers', sourceId, matchDescription);
    // On resume the link may already be written: the earlier attempt's update says the contact was there before.
    existedBefore =
      existing.external_id !== sourceId ||
      ctx.memory.appliedId(matchKey) !== undefined ||
      pendingIntentOf(ctx, 'endUsers', sourceId, ['update']) !== undefined;
    if (isVisitorExternalId(existing.external_id)) {
      // The contact an earlier run made for this user's conversations (their create had failed then,
      // and a ticket carried the email): it is the migration's own, so it becomes the user whole.
      existedBefore = false;
      const { role: _role, ...all } = body;
      await journaledWrite(ctx, {
        op: 'update',
        objectType: 'endUsers',
        sourceId,
        target: {
          resource: 'contact',
          intercomId: created.id,
          description: `PUT /contacts/${created.id} (conversation customer becomes end user ${sourceId}, ${print})`,
        },
        lookup: { by: 'intercom_id', id: created.id },
        beforeImage: fieldsBefore(existing, all),
        send: () => ctx.client.contacts.update(created.id, all as Parameters<typeof ctx.client.contacts.update>[1]),
        idOf: (c) => c.id,
      });
    } else if (existedBefore) {
      const update = {
        external_id: sourceId,
        ...(body.custom_attributes
          ? { custom_attributes: body.custom_attributes as Record<string, string | number | boolean | null> }
          : {}),
      };
      await journaledWrite(ctx, {
        op: 'update',
        objectType: 'endUsers',
        sourceId,
        existedBefore: true,
        target: { resource: 'contact', intercomId: created.id, description: matchDescription },
        lookup: { by: 'intercom_id', id: created.id },
        beforeImage: fieldsBefore(existing, update),
        send: () => ctx.client.contacts.update(created.id, update),
        idOf: (c) => c.id,
      });
      // Tags it already carries stay as they are (and stay after a rollback).
      if (tagNames.length) present = tagIdsOf(await ctx.client.contacts.tags(created.id));
    }
  }
  await tagRecord(ctx, mapped.tags, 'endUsers', sourceId, 'contact', created.id, present, (tag) =>
    ctx.client.tags.tagContact(created.id, tag.id),
  );
  return {
    state: 'migrated',
    intercomId: created.id,
    fingerprint: print,
    ...cutOf(mapped, false),
    ...(existedBefore ? { existedBefore: true } : {}),
  };
}

/** True when this run created the object of this record (not an earlier run, and not found in Intercom). */
function createdByThisRun(ctx: RunContext, objectType: 'endUsers' | 'organizations', sourceId: string): boolean {
  const mapping = ctx.ledger.mapping(objectType, sourceId);
  const record = ctx.ledger.recordState(objectType, sourceId)?.result;
  return mapping?.createdByRun === ctx.runId && !(record?.state === 'migrated' && record.existedBefore);
}

/** Links contacts to companies as the organization filters say. */
export async function migrateMemberships(ctx: RunContext, scope: PeopleScope): Promise<void> {
  await forEachRecord(ctx, ctx.reader.organizationMemberships(), async (m) => {
    if (scope.userIds && !scope.userIds.has(m.userId)) return;
    const sourceId = `${m.organizationId}:${m.userId}`;
    const previous = ctx.ledger.recordState('organizationMemberships', sourceId)?.result;
    if (previous?.state === 'migrated') {
      journalRecord(ctx, 'organizationMemberships', sourceId, previous);
      return;
    }
    await migrateRecord(ctx, 'organizationMemberships', sourceId, async () => {
      const userId = scope.aliases.get(m.userId) ?? m.userId;
      const contactId = dependencyId(ctx, 'endUsers', String(userId));
      const companyId = dependencyId(ctx, 'organizations', String(m.organizationId));
      // A contact or company that failed, or is not decided yet, is waited for: the link is asked again with it.
      const waiting =
        (contactId ? undefined : undecidedDependency(ctx, 'endUsers', String(userId))) ??
        (companyId ? undefined : undecidedDependency(ctx, 'organizations', String(m.organizationId)));
      if (waiting)
        throw new RecordError(
          `link of end user ${m.userId} to organization ${m.organizationId}: ${contactId ? `organization ${m.organizationId}` : `end user ${m.userId}`} has no Intercom id: ${waiting}`,
          'missing_dependency',
        );
      if (!contactId) return { state: 'skipped', reason: `end user ${m.userId} was not migrated` };
      if (!companyId) return { state: 'skipped', reason: `organization ${m.organizationId} was not migrated` };
      // Both were there before this run: the link may be too, and then it is left as it is (rollback keeps it).
      const fresh =
        createdByThisRun(ctx, 'endUsers', String(userId)) ||
        createdByThisRun(ctx, 'organizations', String(m.organizationId));
      if (!fresh && !ctx.options.dryRun && !pendingIntentOf(ctx, 'organizationMemberships', sourceId, ['attach'])) {
        for await (const company of ctx.client.contacts.companies(contactId)) {
          if (String(company.id) === companyId)
            return { state: 'migrated', intercomId: companyId, existedBefore: true };
        }
      }
      const before: AttachBefore = { contactId, companyId, attached: false };
      await journaledWrite(ctx, {
        op: 'attach',
        objectType: 'organizationMemberships',
        sourceId,
        target: {
          resource: 'company',
          intercomId: companyId,
          description: `POST /contacts/${contactId}/companies ${companyId}`,
        },
        lookup: { by: 'intercom_id', id: companyId },
        beforeImage: before,
        send: () => ctx.client.contacts.attachCompany(contactId, companyId),
        idOf: (c) => c.id,
      });
      return { state: 'migrated', intercomId: companyId };
    });
  });
}
