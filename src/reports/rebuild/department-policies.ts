import type { RebuildEntry, RebuildSection } from '../../model/reports';
import type { DepartmentPolicy } from '../../model/source';

/** Auto-close, auto-lock and auto-delete timers: one entry per department that has one. */
export function departmentPoliciesSection(
  policies: DepartmentPolicy[],
  teamFor: (p: DepartmentPolicy) => string,
): RebuildSection {
  const entries = policies.map((p) => policyEntry(p, teamFor(p))).filter((e): e is RebuildEntry => e !== undefined);
  return {
    area: 'departmentPolicies',
    title: 'Department lifecycle settings (auto-close, auto-lock, auto-delete)',
    summary:
      'Per-department timers do not migrate. Intercom closes inactive conversations with a workflow, has no locking, and deletes data with workspace-wide retention settings.',
    count: entries.length,
    entries,
  };
}

function policyEntry(p: DepartmentPolicy, team: string): RebuildEntry | undefined {
  const name = p.departmentName ?? `Department ${p.departmentId}`;
  const was: string[] = [];
  const build: string[] = [];
  if (p.autoClose.enabled) {
    was.push(`Auto-close: tickets waiting on the customer are closed after ${p.autoClose.hours ?? '?'} hours`);
    build.push(
      `Automation → Workflows → New workflow "Auto-close ${name}": trigger "Customer unresponsive" after ${p.autoClose.hours ?? '?'} hours, rule "Team assigned is ${team}", action "Close conversation" (optionally "Send message" first to tell the customer).`,
    );
  }
  if (p.autoLock.enabled) {
    was.push(`Auto-lock: closed tickets are locked against replies after ${p.autoLock.hours ?? '?'} hours`);
    build.push(
      'Intercom has no locking: a customer reply reopens a closed conversation. Nothing to build; tell the team. If replies to old conversations should start fresh, use a workflow that closes and asks the customer to start a new conversation.',
    );
  }
  if (p.autoDelete.enabled) {
    was.push(`Auto-delete: closed tickets are deleted after ${p.autoDelete.days ?? '?'} days`);
    build.push(
      `Settings → Data → Data retention (workspace-wide, not per team): delete conversations older than ${p.autoDelete.days ?? '?'} days, if your policy allows it for every team.`,
    );
  }
  if (p.autoDeleteCallLogs.enabled) {
    was.push(`Call logs are deleted after ${p.autoDeleteCallLogs.days ?? '?'} days`);
    build.push(
      'Migrated calls are conversations (or custom object instances): cover them with the same data retention settings.',
    );
  }
  if (!was.length) return undefined;
  return {
    name,
    sourceId: String(p.departmentId),
    inSmarterTrack: [`Department "${name}"`, ...was],
    inIntercom: build,
  };
}
