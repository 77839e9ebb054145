import { systemClock, type Clock } from '../model/clock';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Ledger } from '../ledger';
import { customFieldIdOf, type MappedObject, type MappingFile } from '../model/mapping';
import { RebuildInventory, type RebuildEntry, type RebuildSection } from '../model/reports';
import type { Agent, AutomationRule, CustomField, DepartmentPolicy, Group } from '../model/source';
import type { SourceReader } from '../source';
import { ledgerRecords, type LatestRecord } from './ledger-records';
import { compareSourceIds } from './reconciliation';
import { rebuildInventoryMarkdown } from './rebuild-inventory-markdown';
import { migrationPaths } from '../model/workspace-paths';

export interface RebuildInventoryInput {
  reader: SourceReader;
  ledger: Ledger;
  map: MappingFile;
  /** Missing teams and unmatched agents from this run's records; default: the workspace's current state. */
  runId?: string;
  clock?: Clock;
}

/**
 * What does not migrate and must be rebuilt by hand in Intercom: automation rules, department
 * lifecycle settings, automatic assignment, call logs, the community, custom fields the map drops,
 * and — from the ledger — departments without a team and agents without an admin. Each entry says
 * what it was in SmarterTrack and what to build instead, in the words of Intercom's settings.
 */
export async function buildRebuildInventory(input: RebuildInventoryInput): Promise<RebuildInventory> {
  const { reader, map } = input;
  const records = await ledgerRecords(input.ledger, input.runId);
  const departments = new Map<number, string>();
  for await (const d of reader.departments()) departments.set(d.id, d.name ?? `Department ${d.id}`);
  const groups = new Map<string, Group>();
  for await (const g of reader.groups()) groups.set(`${g.departmentId}:${g.id}`, g);
  const agents: Agent[] = [];
  for await (const a of reader.agents()) agents.push(a);
  const teamOf = (departmentId: number | null) => (departmentId === null ? null : teamNameFor(map, departments.get(departmentId) ?? `Department ${departmentId}`));
  const groupName = (departmentId: number | null, groupId: number | null) => {
    const g = groups.get(`${departmentId}:${groupId}`);
    return `${departments.get(departmentId ?? -1) ?? `department ${departmentId ?? '?'}`} / ${g?.name ?? `group ${groupId ?? '?'}`}`;
  };

  const sections: RebuildSection[] = [];
  const push = (section: RebuildSection) => {
    if (section.entries.length) sections.push(section);
  };

  const rules: RebuildEntry[] = [];
  for await (const rule of reader.automationRules()) rules.push(automationEntry(rule));
  push({
    area: 'automationRules', title: 'Automation rules (SmarterTrack events)',
    summary: 'SmarterTrack event rules do not migrate: Intercom has no API to create workflows. Rebuild each active rule as an Intercom Workflow (Automation → Workflows → New workflow); inactive rules are listed so you can decide to drop them.',
    entries: rules,
  });

  const policies: RebuildEntry[] = [];
  for await (const p of reader.departmentPolicies()) {
    const entry = policyEntry(p, teamOf(p.departmentId) ?? p.departmentName ?? `Department ${p.departmentId}`);
    if (entry) policies.push(entry);
  }
  push({
    area: 'departmentPolicies', title: 'Department lifecycle settings (auto-close, auto-lock, auto-delete)',
    summary: 'Per-department timers do not migrate. Intercom closes inactive conversations with a workflow, has no locking, and deletes data with workspace-wide retention settings.',
    entries: policies,
  });

  const volumes = await reader.insights.volumes();
  const assignment: RebuildEntry[] = [
    ...volumes.roundRobinGroups.map((g): RebuildEntry => {
      const members = agents.filter((a) => a.groups.some((m) => m.departmentId === g.departmentId && m.groupId === g.groupId && m.roundRobinOrder !== null));
      const team = teamOf(g.departmentId) ?? groupName(g.departmentId, g.groupId);
      return {
        name: `Round robin: ${groupName(g.departmentId, g.groupId)}`,
        sourceId: `${g.departmentId}:${g.groupId}`,
        inSmarterTrack: [
          `New tickets and chats are handed out in turn to ${g.agents} agent(s) of the group.`,
          ...(members.length ? [`Agents: ${members.map(agentLabel).join(', ')}`] : []),
        ],
        inIntercom: [
          `Settings → Inbox → Assignments: for team "${team}", choose Round robin assignment (or Balanced assignment to cap open conversations per teammate).`,
          `Add these teammates to team "${team}" and give them an inbox seat.`,
          'Make sure a workflow or assignment rule routes the conversations of this group to that team.',
        ],
      };
    }),
    ...volumes.rebalanceRules.map((r): RebuildEntry => ({
      name: `Rebalance rule: ${r.name ?? `#${r.id}`}`,
      sourceId: String(r.id),
      inSmarterTrack: [`Moves waiting tickets between agents of ${groupName(r.departmentId, r.groupId)} when their load is uneven.`],
      inIntercom: [`Settings → Inbox → Assignments: use Balanced assignment on team "${teamOf(r.departmentId) ?? groupName(r.departmentId, r.groupId)}" with a per-teammate limit; Intercom rebalances as conversations close.`],
    })),
  ];
  push({
    area: 'autoAssignment', title: 'Automatic assignment (round robin, rebalancing)',
    summary: 'Assignment settings do not migrate; migrated conversations keep the agent and team they had. Set up assignment for new conversations on the matching teams.',
    entries: assignment,
  });

  const counts = await reader.insights.counts();
  const calls = counts.callLogs ?? 0;
  if (calls > 0) {
    const asObject = map.options.callLogsAs === 'custom-object';
    push({
      area: 'callLogs', title: 'Call logs', summary: 'Intercom has no call records to import into.',
      entries: [{
        name: `${calls.toLocaleString('en-US')} call log(s)`,
        sourceId: null,
        inSmarterTrack: ['Phone calls logged by agents: caller, number, subject, notes, start and end time, department.'],
        inIntercom: asObject
          ? [
            `The map sends them as instances of the custom object "${map.options.callObjectType}": before the run, create it in Settings → Data → Custom objects with attributes for number, subject, phone, start and end time.`,
            'Link the object to Contacts (and Conversations) so agents see calls on the person.',
          ]
          : [
            'The map sends each call as a closed conversation holding the call notes in an internal note; nothing to build.',
            `To keep calls as records instead, create a custom object (e.g. "${map.options.callObjectType}") in Settings → Data → Custom objects and set options.callLogsAs to "custom-object" in mapping.json before the full run.`,
          ],
      }],
    });
  }

  if (volumes.communityRows > 0) {
    push({
      area: 'community', title: 'Community (threads and posts)', summary: 'Not migrated: Intercom has no community forum and no API to import one.',
      entries: [{
        name: `${volumes.communityRows.toLocaleString('en-US')} community row(s)`,
        sourceId: null,
        inSmarterTrack: ['Public community threads, posts and votes.'],
        inIntercom: [
          'Export the community from SmarterTrack and archive it, or move the useful answers into Help Center articles (Knowledge → Help Center → New article).',
          'Point the old community URL to the Help Center.',
        ],
      }],
    });
  }

  push({
    area: 'droppedCustomFields', title: 'Custom fields the map drops',
    summary: 'These fields are dropped by mapping.json, so their values do not reach Intercom. Rebuild them only if people still need them, then change the map before the full run.',
    entries: await droppedFieldEntries(reader, map),
  });

  push({
    area: 'missingTeams', title: 'Teams missing in Intercom',
    summary: 'Teams cannot be created through the API. Departments without a matching team were migrated without a team assignee.',
    entries: skippedOf(records.byType.get('departments')).map((r): RebuildEntry => {
      const name = departments.get(Number(r.sourceId)) ?? `Department ${r.sourceId}`;
      return {
        name,
        sourceId: r.sourceId,
        inSmarterTrack: [`Department "${name}"`, `Ledger: ${reasonOf(r)}`],
        inIntercom: [
          `Settings → Teammates → Teams → New team: "${teamNameFor(map, name)}"; add the agents who worked in this department.`,
          `In mapping.json, map valueMaps.teams "${name}" to that team's name, then run a delta so conversations get their team.`,
        ],
      };
    }),
  });

  const agentsById = new Map(agents.map((a) => [String(a.id), a]));
  push({
    area: 'unmatchedAgents', title: 'Agents without an Intercom teammate',
    summary: 'Teammates cannot be created through the API; agents are matched to teammates by email. These were not, and the fallback admin stands in on their conversations.',
    entries: skippedOf(records.byType.get('agents')).map((r): RebuildEntry => {
      const agent = agentsById.get(r.sourceId);
      const memberOf = [...new Set((agent?.groups ?? []).map((g) => teamOf(g.departmentId) ?? groupName(g.departmentId, g.groupId)))];
      return {
        name: agent ? agentLabel(agent) : `Agent ${r.sourceId}`,
        sourceId: r.sourceId,
        inSmarterTrack: [
          `Agent ${agent?.displayName ?? agent?.userName ?? r.sourceId}, email ${agent?.email ?? '(none)'}${agent?.deleted ? ' (deleted)' : ''}`,
          ...(memberOf.length ? [`Groups: ${memberOf.join(', ')}`] : []),
          `Ledger: ${reasonOf(r)}`,
        ],
        inIntercom: agent?.email
          ? [
            `Settings → Teammates → Invite: ${agent.email}${memberOf.length ? `, to team(s) ${memberOf.map((t) => `"${t}"`).join(', ')}` : ''}.`,
            'Or, if this person already has a teammate under another email, change one of the two emails to match. Then run a delta to reassign their conversations.',
          ]
          : ['This agent has no email in SmarterTrack: decide who takes over; their conversations stay with the fallback admin unless you reassign them.'],
      };
    }),
  });

  const description = await reader.describe();
  return RebuildInventory.parse({
    kind: 'st2ic.rebuild-inventory',
    version: 1,
    generatedAt: (input.clock ?? systemClock).now().toISOString(),
    source: { engine: description.engine, location: description.location, tablePrefix: description.tablePrefix },
    ledgerScope: input.runId !== undefined ? { mode: 'run', runId: input.runId } : { mode: 'workspace' },
    sections,
  });
}

function skippedOf(records: ReadonlyMap<string, LatestRecord> | undefined): LatestRecord[] {
  return [...(records?.values() ?? [])].filter((r) => r.result.state === 'skipped').sort((a, b) => compareSourceIds(a.sourceId, b.sourceId));
}

function reasonOf(r: LatestRecord): string {
  return r.result.state === 'skipped' ? r.result.reason : r.result.state;
}

function teamNameFor(map: MappingFile, departmentName: string): string {
  return map.valueMaps.teams[departmentName] ?? departmentName;
}

function agentLabel(a: Agent): string {
  const name = a.displayName ?? a.userName ?? `Agent ${a.id}`;
  return a.email ? `${name} <${a.email}>` : name;
}

// ---- automation rules -------------------------------------------------------------------------

/** SmarterTrack event types → the Intercom workflow trigger closest to them. */
const TRIGGERS: [RegExp, string][] = [
  [/^(ticket|chat)(created|new|started)$/i, 'Trigger "Customer sends their first message" (or "Customer opens a new conversation")'],
  [/idle|waiting|unanswered|unresponsive/i, 'Trigger "Customer unresponsive" or "Teammate unresponsive" with the same waiting time (a background workflow)'],
  [/chatmissed|missed/i, 'Trigger "Customer sends their first message" with an Office hours branch (chats that nobody answers)'],
  [/closed|close/i, 'Trigger "Teammate changes the conversation state" (closed)'],
  [/updated|changed|reply|replied|response/i, 'Trigger "Customer sends a message" or "Teammate changes the conversation state", whichever started the rule'],
];

/** SmarterTrack condition keys → Intercom workflow rule attributes. */
const CONDITION_ATTRIBUTES: [RegExp, string][] = [
  [/idle|age|hours|days|minutes/i, 'a "Wait" step (or the waiting time of the trigger)'],
  [/priority/i, 'Conversation data → Priority'],
  [/department|group/i, 'Conversation data → Team assigned'],
  [/agent|assigned/i, 'Conversation data → Teammate assigned'],
  [/businesshours|office/i, 'an Office hours branch (Settings → Office hours)'],
  [/status|state/i, 'Conversation data → State'],
  [/spam/i, 'Conversation data → Spam (Intercom filters spam itself)'],
  [/email|customer|tier|user|company/i, 'People data (a contact or company attribute)'],
  [/subject|body|text|keyword/i, 'Message content → "Customer message contains"'],
];

/** SmarterTrack action keys → Intercom workflow actions. */
const ACTIONS: [RegExp, (arg: string) => string][] = [
  [/transfer|togroup|todepartment/i, (arg) => `Action "Assign to" team ${arg ? `"${arg}"` : '(the matching team)'}`],
  [/assigntoagent|assignagent|assign/i, (arg) => `Action "Assign to" teammate ${arg ? `"${arg}"` : ''}`.trim()],
  [/setpriority|priority/i, () => 'Action "Mark as priority"'],
  [/setstatus|close/i, () => 'Action "Close conversation" (or "Snooze")'],
  [/autoresponder|autoreply/i, (arg) => `Action "Send message" with the text of the "${arg || 'auto-responder'}" template (inside an Office hours branch if it was an after-hours reply)`],
  [/sendemail|notify|email/i, (arg) => `Action "Notify teammate"/"Notify team"${arg ? ` (was an email to ${arg}; Intercom workflows do not email outside addresses, use a Slack or email notification from Settings → Notifications)` : ''}`],
  [/addtag|tag/i, (arg) => `Action "Tag conversation"${arg ? ` "${arg}"` : ''}`],
  [/createticket/i, () => 'Nothing to build: every chat is already a conversation in Intercom (convert to a ticket with action "Convert to ticket" if you use Intercom tickets)'],
  [/delete/i, () => 'No workflow deletes conversations: use data retention settings (Settings → Data → Data retention), or drop the rule'],
  [/comment|note/i, (arg) => `Action "Add note"${arg ? ` "${arg}"` : ''}`],
];

function describeCondition(c: AutomationRule['conditions'][number]): string {
  const values = [c.value1, c.value2].filter((v): v is string => v !== null && v !== '');
  return `${c.type ? `[${c.type}] ` : ''}${c.key ?? '(no key)'} ${c.condition ?? ''} ${values.join(' and ')}`.replace(/\s+/g, ' ').trim();
}

function describeAction(a: AutomationRule['actions'][number]): string {
  const inputs = a.inputs.filter((i) => i.value !== null && i.value !== '').map((i) => (i.key ? `${i.key}=${i.value}` : String(i.value)));
  return `${a.key ?? '(no key)'}${inputs.length ? `: ${inputs.join(', ')}` : ''}`;
}

function automationEntry(rule: AutomationRule): RebuildEntry {
  const active = rule.active && rule.enabled !== false;
  const eventTypes = [...new Set(rule.conditions.map((c) => c.type).filter((t): t is string => !!t))];
  const triggers = eventTypes.map((t) => TRIGGERS.find(([re]) => re.test(t))?.[1] ?? `Choose the trigger closest to "${t}"`);
  const steps: string[] = [];
  if (!active) steps.push('This rule was inactive in SmarterTrack: rebuild it only if it is still wanted.');
  steps.push(`Automation → Workflows → New workflow, named "${rule.name ?? `Rule ${rule.id}`}".`);
  for (const t of [...new Set(triggers)]) steps.push(`${t}.`);
  for (const c of rule.conditions) {
    const attribute = CONDITION_ATTRIBUTES.find(([re]) => re.test(c.key ?? ''))?.[1] ?? 'the matching attribute';
    steps.push(`Add a rule: ${describeCondition(c)} → use ${attribute}.`);
  }
  for (const a of rule.actions) {
    const arg = a.inputs.map((i) => i.value).find((v): v is string => !!v) ?? '';
    const action = ACTIONS.find(([re]) => re.test(a.key ?? ''))?.[1](arg) ?? `Rebuild "${a.key ?? 'action'}" by hand with the closest workflow action`;
    steps.push(`${action}.`);
  }
  if (rule.repeating) steps.push('It repeated in SmarterTrack: let the workflow match more than once (Settings of the workflow → Frequency).');
  steps.push(active ? 'Test it on a test conversation, then set it live.' : 'Leave it off unless someone asks for it.');
  return {
    name: rule.name ?? `Rule ${rule.id}`,
    sourceId: String(rule.id),
    inSmarterTrack: [
      `${active ? 'Active' : 'Inactive'} rule in group "${rule.eventGroup ?? 'none'}"${rule.repeating ? ', repeating' : ''}${rule.lastModifiedAt ? `, last changed ${rule.lastModifiedAt.slice(0, 10)}` : ''}`,
      ...rule.conditions.map((c) => `When: ${describeCondition(c)}`),
      ...rule.actions.map((a) => `Then: ${describeAction(a)}`),
    ],
    inIntercom: steps,
  };
}

// ---- department policies ----------------------------------------------------------------------

function policyEntry(p: DepartmentPolicy, team: string): RebuildEntry | undefined {
  const name = p.departmentName ?? `Department ${p.departmentId}`;
  const was: string[] = [];
  const build: string[] = [];
  if (p.autoClose.enabled) {
    was.push(`Auto-close: tickets waiting on the customer are closed after ${p.autoClose.hours ?? '?'} hours`);
    build.push(`Automation → Workflows → New workflow "Auto-close ${name}": trigger "Customer unresponsive" after ${p.autoClose.hours ?? '?'} hours, rule "Team assigned is ${team}", action "Close conversation" (optionally "Send message" first to tell the customer).`);
  }
  if (p.autoLock.enabled) {
    was.push(`Auto-lock: closed tickets are locked against replies after ${p.autoLock.hours ?? '?'} hours`);
    build.push('Intercom has no locking: a customer reply reopens a closed conversation. Nothing to build; tell the team. If replies to old conversations should start fresh, use a workflow that closes and asks the customer to start a new conversation.');
  }
  if (p.autoDelete.enabled) {
    was.push(`Auto-delete: closed tickets are deleted after ${p.autoDelete.days ?? '?'} days`);
    build.push(`Settings → Data → Data retention (workspace-wide, not per team): delete conversations older than ${p.autoDelete.days ?? '?'} days, if your policy allows it for every team.`);
  }
  if (p.autoDeleteCallLogs.enabled) {
    was.push(`Call logs are deleted after ${p.autoDeleteCallLogs.days ?? '?'} days`);
    build.push('Migrated calls are conversations (or custom object instances): cover them with the same data retention settings.');
  }
  if (!was.length) return undefined;
  return { name, sourceId: String(p.departmentId), inSmarterTrack: [`Department "${name}"`, ...was], inIntercom: build };
}

// ---- dropped custom fields --------------------------------------------------------------------

const MODEL_OF: Record<MappedObject, string> = {
  companies: 'Company', contacts: 'People', tickets: 'Conversation', liveChats: 'Conversation', callLogs: 'Conversation', kbArticles: 'Article',
};

async function droppedFieldEntries(reader: SourceReader, map: MappingFile): Promise<RebuildEntry[]> {
  const drops = new Map<number, { objects: MappedObject[]; reasons: string[] }>();
  for (const [object, objectMap] of Object.entries(map.objects) as [MappedObject, MappingFile['objects'][MappedObject]][]) {
    for (const f of objectMap.fields) {
      const id = customFieldIdOf(f.source);
      if (id === null || f.target.kind !== 'drop') continue;
      const drop = drops.get(id) ?? { objects: [], reasons: [] };
      drop.objects.push(object);
      if (f.target.reason) drop.reasons.push(f.target.reason);
      drops.set(id, drop);
    }
  }
  if (!drops.size) return [];
  const fields = new Map<number, CustomField>();
  for await (const field of reader.customFields()) fields.set(field.id, field);
  return [...drops].sort(([a], [b]) => a - b).map(([id, drop]): RebuildEntry => {
    const field = fields.get(id);
    const name = field?.name ?? `Custom field ${id}`;
    const models = [...new Set(drop.objects.map((o) => MODEL_OF[o]))];
    return {
      name,
      sourceId: String(id),
      inSmarterTrack: [
        `Custom field "${name}" (${field?.kind ?? 'unknown type'}${field?.options.length ? `: ${field.options.join(', ')}` : ''}) on ${drop.objects.join(', ')}`,
        ...(drop.reasons.length ? [`Dropped by the map: ${[...new Set(drop.reasons)].join('; ')}`] : ['Dropped by the map']),
      ],
      inIntercom: [
        `If it is still needed: Settings → Data → ${models.join(' / ')} data → Create attribute "${name}" (${attributeTypeOf(field)}).`,
        `Then map custom:${id} to that attribute in mapping.json (or keep it dropped), confirm the map again and run the migration.`,
      ],
    };
  });
}

function attributeTypeOf(field: CustomField | undefined): string {
  switch (field?.kind) {
    case 'dropdown': return `List${field.options.length ? ` with options ${field.options.join(', ')}` : ''}`;
    case 'checkbox': return 'True/false';
    case 'date': return 'Date';
    case 'number': return 'Number';
    default: return 'Text';
  }
}

/** Writes <workspace>/migration/reports/rebuild-inventory.md and .json; returns their paths. */
export async function writeRebuildInventory(workspace: string, inventory: RebuildInventory): Promise<{ markdown: string; json: string }> {
  const dir = migrationPaths(workspace).reports;
  await mkdir(dir, { recursive: true });
  const markdown = path.join(dir, 'rebuild-inventory.md');
  const json = path.join(dir, 'rebuild-inventory.json');
  await writeFile(json, JSON.stringify(inventory, null, 2) + '\n');
  await writeFile(markdown, rebuildInventoryMarkdown(inventory));
  return { markdown, json };
}
