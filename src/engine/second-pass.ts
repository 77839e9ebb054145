import type { ErrorInfo } from '../model/journal';
import type { ObjectType } from '../model/object-types';
import type { PeopleScope } from './phases/people';
import type { ConversationScope } from './phases/tickets';

/**
 * Failure classes that say nothing about the record itself: a fault on the way (a 5xx, a lost
 * answer, throttling, search behind) or a record it depends on that met one (missing_dependency).
 * Asked again once at the end of the run, such a record usually migrates in the same run instead
 * of waiting for the next one.
 */
const PASSING_CLASSES: ReadonlySet<string> = new Set([
  'outcome_unknown',
  'outcome_undecided',
  'server',
  'network',
  'rate_limited',
  'search_behind',
  'missing_dependency',
]);

export interface SecondPass {
  organizationIds: Set<number>;
  /** End users whose contact is asked again. */
  userIds: Set<number>;
  /** End users whose company links are asked again (theirs failed, or their contact is asked again). */
  membershipUserIds: Set<number>;
  conversations: { [K in keyof ConversationScope]-?: Set<number> };
  records: number;
}

const numeric = (sourceId: string): number | undefined => (/^\d+$/.test(sourceId) ? Number(sourceId) : undefined);

/**
 * The records of this run to ask again: the top-level records that failed for a passing reason
 * (a conversation's messages fail with their conversation, a visitor contact with its record).
 * Undefined when there are none.
 */
export function secondPassOf(
  failures: { objectType: ObjectType; sourceId: string; error: ErrorInfo }[],
): SecondPass | undefined {
  const pass: SecondPass = {
    organizationIds: new Set(),
    userIds: new Set(),
    membershipUserIds: new Set(),
    conversations: { ticketIds: new Set(), chatIds: new Set(), callLogIds: new Set() },
    records: 0,
  };
  for (const { objectType, sourceId, error } of failures) {
    if (!PASSING_CLASSES.has(error.errorClass)) continue;
    const id = numeric(objectType === 'organizationMemberships' ? (sourceId.split(':')[1] ?? '') : sourceId);
    if (id === undefined) continue;
    const into: Set<number> | undefined = {
      organizations: pass.organizationIds,
      endUsers: pass.userIds,
      organizationMemberships: pass.membershipUserIds,
      tickets: pass.conversations.ticketIds,
      liveChats: pass.conversations.chatIds,
      callLogs: pass.conversations.callLogIds,
    }[objectType as string];
    if (!into) continue;
    into.add(id);
    pass.records++;
  }
  for (const id of pass.userIds) pass.membershipUserIds.add(id);
  return pass.records > 0 ? pass : undefined;
}

/** The people phases' scope for a second pass: only these records, with the run's aliases and references. */
export function peopleAgain(people: PeopleScope, pass: SecondPass, which: 'contacts' | 'memberships'): PeopleScope {
  return {
    ...people,
    organizationIds: pass.organizationIds,
    userIds: which === 'contacts' ? pass.userIds : pass.membershipUserIds,
  };
}
