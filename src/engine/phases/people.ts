import { applyObjectMapping, hasErrors, type MappedRecord } from '../../mapping/apply';
import type { EndUser, Organization } from '../../model/source';
import type { RecordState } from '../../model/journal';
import type { RunContext } from '../context';
import { forEachRecord } from '../concurrent';
import { RecordError } from '../errors';
import { fingerprint } from '../fingerprint';
import { journalRecord, migrateRecord } from '../record-outcome';
import { journaledWrite } from '../write';
import type { CustomValueIndex } from '../custom-values';
import { companyInput, contactInput } from '../mapping-inputs';
import { tagIdFor } from './tags';

/** Which people a run covers (sample: the customers of the sampled tickets and their companies). */
export interface PeopleScope {
  userIds?: ReadonlySet<number>;
  organizationIds?: ReadonlySet<number>;
  /** Duplicate-email users → the user whose contact they share. */
  aliases: ReadonlyMap<number, number>;
  /** Users some migrated conversation needs, whatever their email. */
  referenced: ReadonlySet<number>;
}

function firstError(mapped: MappedRecord): RecordError {
  const issue = mapped.issues.find((i) => i.severity === 'error');
  return new RecordError(issue ? `${issue.source} → ${issue.target}: ${issue.message}` : 'mapping failed', 'validation', issue?.source);
}

export async function migrateCompanies(ctx: RunContext, scope: PeopleScope): Promise<void> {
  ctx.progress.phase('companies');
  const map = ctx.map.objects.companies;
  await forEachRecord(ctx, ctx.reader.organizations(), async (org: Organization) => {
    if (scope.organizationIds && !scope.organizationIds.has(org.id)) return;
    await migrateRecord(ctx, 'organizations', String(org.id), async (): Promise<RecordState | undefined> => {
      if (!map.enabled) return { state: 'skipped', reason: 'companies are disabled in the map' };
      const { record } = companyInput(org);
      const mapped = applyObjectMapping('companies', map, record);
      if (hasErrors(mapped)) throw firstError(mapped);
      for (const w of mapped.issues) ctx.progress.warn(`organization ${org.id}: ${w.source}: ${w.message}`);
      const body = {
        company_id: String(org.id),
        name: (mapped.standard.name as string | undefined) ?? org.name ?? `Organization ${org.id}`,
        ...Object.fromEntries(Object.entries(mapped.standard).filter(([k]) => k !== 'name')),
        ...(Object.keys(mapped.attributes).length ? { custom_attributes: mapped.attributes } : {}),
      };
      const print = fingerprint(body);
      const previous = ctx.ledger.recordState('organizations', String(org.id))?.result;
      if (previous?.state === 'migrated' && previous.fingerprint === print) {
        return ctx.kind === 'delta' ? undefined : { state: 'migrated', intercomId: previous.intercomId, fingerprint: print };
      }
      // create-or-update by company_id: idempotent, so a lost response is simply sent again.
      const result = await journaledWrite(ctx, {
        op: previous?.state === 'migrated' ? 'update' : 'create', objectType: 'organizations', sourceId: String(org.id),
        target: { resource: 'company', description: `POST /companies company_id=${org.id}` },
        lookup: { by: 'company_id', value: String(org.id) },
        send: () => ctx.client.companies.createOrUpdate(body),
        idOf: (c) => c.id,
      });
      await tagRecord(ctx, mapped.tags, 'organizations', String(org.id), (name) => ctx.client.tags.tagCompanies(name, [result.id]).then(() => undefined));
      return { state: 'migrated', intercomId: result.id, fingerprint: print };
    });
  });
}

async function tagRecord(ctx: RunContext, names: string[], objectType: 'organizations' | 'endUsers', sourceId: string, apply: (tagName: string, tagId: string) => Promise<void>): Promise<void> {
  const all = ctx.kind === 'sample' ? [...names, ctx.map.options.runTag] : names;
  for (const name of all) {
    const tagId = await tagIdFor(ctx, name);
    await journaledWrite(ctx, {
      op: 'tag', objectType, sourceId,
      target: { resource: 'tag', intercomId: tagId, description: `tag ${objectType === 'endUsers' ? 'contact' : 'company'} ${sourceId} "${name}"` },
      lookup: { by: 'intercom_id', id: tagId },
      send: () => apply(name, tagId),
      idOf: () => tagId,
    });
  }
}

export async function migrateContacts(ctx: RunContext, scope: PeopleScope, userValues: CustomValueIndex): Promise<void> {
  ctx.progress.phase('contacts');
  const map = ctx.map.objects.contacts;
  await forEachRecord(ctx, ctx.reader.endUsers(), async (user: EndUser) => {
    if (scope.userIds && !scope.userIds.has(user.id)) return;
    await migrateRecord(ctx, 'endUsers', String(user.id), () => migrateContact(ctx, map, scope, user, userValues));
  });
}

async function migrateContact(ctx: RunContext, map: RunContext['map']['objects']['contacts'], scope: PeopleScope, user: EndUser, userValues: CustomValueIndex): Promise<RecordState | undefined> {
  const sourceId = String(user.id);
  const alias = scope.aliases.get(user.id);
  if (alias !== undefined) return { state: 'skipped', reason: `same email as end user ${alias}: their conversations go to that contact` };
  if (!map.enabled) return { state: 'skipped', reason: 'contacts are disabled in the map' };
  const needed = scope.referenced.has(user.id);
  if (user.deleted && !needed) return { state: 'skipped', reason: 'deleted in SmarterTrack and no migrated conversation needs it' };
  if (!user.email && !needed) return { state: 'skipped', reason: 'no email address and no migrated conversation needs it' };

  const { record, customValues } = contactInput(user, userValues);
  const mapped = applyObjectMapping('contacts', map, record, customValues);
  if (hasErrors(mapped)) throw firstError(mapped);
  for (const w of mapped.issues) ctx.progress.warn(`end user ${user.id}: ${w.source}: ${w.message}`);
  const body = {
    role: 'user' as const,
    external_id: sourceId,
    ...mapped.standard,
    ...(Object.keys(mapped.attributes).length ? { custom_attributes: mapped.attributes } : {}),
  } as Record<string, unknown> & { role: 'user'; external_id: string };
  if (body.email === null || body.email === '') delete body.email;
  const print = fingerprint(body);
  const previous = ctx.ledger.recordState('endUsers', sourceId)?.result;
  if (previous?.state === 'migrated') {
    if (previous.fingerprint === print) return ctx.kind === 'delta' ? undefined : { state: 'migrated', intercomId: previous.intercomId, fingerprint: print };
    const before = await ctx.client.contacts.get(previous.intercomId);
    const { role: _role, ...update } = body;
    await journaledWrite(ctx, {
      op: 'update', objectType: 'endUsers', sourceId,
      target: { resource: 'contact', intercomId: previous.intercomId, description: `PUT /contacts/${previous.intercomId} (${print})` },
      lookup: { by: 'intercom_id', id: previous.intercomId },
      beforeImage: JSON.parse(JSON.stringify(before)),
      send: () => ctx.client.contacts.update(previous.intercomId, update),
      idOf: (c) => c.id,
    });
    return { state: 'migrated', intercomId: previous.intercomId, fingerprint: print };
  }

  const created = await journaledWrite(ctx, {
    op: 'create', objectType: 'endUsers', sourceId,
    target: { resource: 'contact', description: `POST /contacts external_id=${sourceId}` },
    lookup: { by: 'external_id', value: sourceId },
    clientLookup: { kind: 'contact', external_id: sourceId, role: 'user', ...(typeof body.email === 'string' ? { email: body.email } : {}) },
    send: () => ctx.client.contacts.create(body),
    idOf: (c) => c.id,
  });
  let existedBefore = false;
  if (created.resolvedBy === 'lookup' && !ctx.options.dryRun) {
    // A 409 names a contact that may predate the migration (same email): never treat it as ours.
    const existing = await ctx.client.contacts.get(created.id);
    existedBefore = existing.external_id !== sourceId;
    if (existedBefore) {
      await journaledWrite(ctx, {
        op: 'update', objectType: 'endUsers', sourceId, existedBefore: true,
        target: { resource: 'contact', intercomId: created.id, description: `PUT /contacts/${created.id} (existing contact, ${print})` },
        lookup: { by: 'intercom_id', id: created.id },
        beforeImage: JSON.parse(JSON.stringify(existing)),
        send: () => ctx.client.contacts.update(created.id, { external_id: sourceId, ...(body.custom_attributes ? { custom_attributes: body.custom_attributes as Record<string, string | number | boolean | null> } : {}) }),
        idOf: (c) => c.id,
      });
    }
  }
  await tagRecord(ctx, mapped.tags, 'endUsers', sourceId, (_name, tagId) => ctx.client.tags.tagContact(created.id, tagId).then(() => undefined));
  return { state: 'migrated', intercomId: created.id, fingerprint: print, ...(existedBefore ? { existedBefore: true } : {}) };
}

/** Links contacts to companies as the organization filters say. */
export async function migrateMemberships(ctx: RunContext, scope: PeopleScope): Promise<void> {
  ctx.progress.phase('company memberships');
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
      const contactId = ctx.ledger.intercomIdFor('endUsers', String(userId));
      const companyId = ctx.ledger.intercomIdFor('organizations', String(m.organizationId));
      if (!contactId) return { state: 'skipped', reason: `end user ${m.userId} was not migrated` };
      if (!companyId) return { state: 'skipped', reason: `organization ${m.organizationId} was not migrated` };
      await journaledWrite(ctx, {
        op: 'attach', objectType: 'organizationMemberships', sourceId,
        target: { resource: 'company', intercomId: companyId, description: `POST /contacts/${contactId}/companies ${companyId}` },
        lookup: { by: 'intercom_id', id: companyId },
        send: () => ctx.client.contacts.attachCompany(contactId, companyId),
        idOf: (c) => c.id,
      });
      return { state: 'migrated', intercomId: companyId };
    });
  });
}
