import type { ObjectType } from '../model/object-types';
import type { RunContext } from './context';

/**
 * What a dry run "migrated" so far, by record. The ledger's index leaves dry runs out (their ids are
 * made up), so without this a later phase of a dry run would find no contact for a ticket, no contact
 * or company for a link, and predict failures and skips the real run does not have. Ids here are the
 * dry run's own `dry-run:…` ids: they stand for "this record would exist by now", nothing is read by them.
 */
export class DryRunIds {
  private readonly ids = new Map<string, string>();

  set(objectType: ObjectType, sourceId: string, id: string): void {
    this.ids.set(`${objectType}:${sourceId}`, id);
  }

  get(objectType: ObjectType, sourceId: string): string | undefined {
    return this.ids.get(`${objectType}:${sourceId}`);
  }
}

/**
 * The Intercom id of a record an earlier phase depends on (the contact of a ticket, the contact and
 * company of a link): the ledger's, or in a dry run the one this dry run would have made.
 */
export function dependencyId(ctx: RunContext, objectType: ObjectType, sourceId: string): string | undefined {
  return ctx.ledger.intercomIdFor(objectType, sourceId) ?? ctx.dryRunIds?.get(objectType, sourceId);
}

/**
 * Why a record a later one depends on has no Intercom id although it was not skipped: its create's
 * outcome is not known yet, or it failed. Such a dependency is waited for (the dependent record
 * fails as missing_dependency and is asked again with it), never replaced or passed over.
 */
export function undecidedDependency(ctx: RunContext, objectType: ObjectType, sourceId: string): string | undefined {
  if (ctx.ledger.hasPendingWrite(objectType, sourceId)) return 'the outcome of its create is not known yet';
  return ctx.ledger.recordState(objectType, sourceId)?.result.state === 'failed' ? 'it failed to migrate' : undefined;
}
