import { type Clock, systemClock } from '../model/clock';
import { stateMismatchText, type TicketsPlan } from './ticket-type-plan';
import type { WorkspacePlan } from './workspace';

// The configure plan for people to read before a run changes the workspace. Pure (unit-tested).

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function workspacePlanMarkdown(plan: WorkspacePlan, clock: Clock = systemClock): string {
  const generatedAt = clock.now();
  const lines = [
    `# Intercom workspace plan: ${plan.appName}${plan.region ? ` (${plan.region.toUpperCase()})` : ''}`,
    '',
    `Generated ${generatedAt.toISOString()} from migration/mapping.json and the workspace's admins, teams and data attributes.`,
    '',
    '## Agents → admins',
    '',
    `${plan.admins.length - plan.unmatchedAgents.length} of ${plan.admins.length} SmarterTrack agents match an Intercom admin by email.`,
  ];
  if (plan.unmatchedAgents.length > 0) {
    lines.push(
      '',
      'Unmatched agents (their conversations go to the fallback admin; admins cannot be created through the API):',
      '',
      '| Agent | Email |',
      '|---|---|',
    );
    for (const a of plan.unmatchedAgents)
      lines.push(`| ${esc(a.agentName ?? `#${a.agentId}`)} | ${esc(a.agentEmail ?? '—')} |`);
  }
  lines.push('', '## Teams', '');
  if (plan.teams.length === 0) lines.push('The map assigns no teams.');
  else {
    lines.push('| Team in the map | Intercom team id |', '|---|---|');
    for (const t of plan.teams) lines.push(`| ${esc(t.value)} | ${t.teamId ?? '**missing**'} |`);
  }
  if (plan.missingTeams.length > 0)
    lines.push('', `Create these teams in Intercom by hand before the run: ${plan.missingTeams.map(esc).join(', ')}.`);
  const attributeTable = (
    title: string,
    rows: { model: string; name: string; dataType: string; usedBy: string[]; note?: string }[],
  ) => {
    lines.push('', `## ${title} (${rows.length})`, '');
    if (rows.length === 0) return void lines.push('None.');
    lines.push('| Model | Attribute | Type | Used by |', '|---|---|---|---|');
    for (const r of rows)
      lines.push(
        `| ${r.model} | ${esc(r.name)} | ${r.dataType}${r.note ? ` (${esc(r.note)})` : ''} | ${esc(r.usedBy.join(', '))} |`,
      );
  };
  attributeTable('Data attributes to create', plan.attributesToCreate);
  attributeTable('Data attributes that exist already', plan.attributesExisting);
  attributeTable(
    'Type conflicts (fix the map or the workspace)',
    plan.attributeConflicts.map((c) => ({ ...c.need, note: `Intercom has ${c.existingType}` })),
  );
  attributeTable('Missing attributes the map may not create', plan.attributesMissing);
  lines.push(...ticketsMarkdown(plan.tickets), '');
  return lines.join('\n');
}

/** The ticket types section: only when the map sends some department to Intercom tickets. */
function ticketsMarkdown(tickets: TicketsPlan): string[] {
  if (tickets.types.length === 0) return [];
  const lines = ['', `## Ticket types (${tickets.types.length})`, ''];
  lines.push('| Ticket type | Category | In Intercom | Attributes to create | For |', '|---|---|---|---|---|');
  for (const t of tickets.types) {
    const attributes =
      [
        ...t.attributesToCreate.map((a) => `${a.name} (${a.dataType})`),
        ...(t.sourceKeyMissing ? [`${t.sourceKeyName} (string, hidden from customers: each ticket's source key)`] : []),
      ].join(', ') || '—';
    lines.push(
      `| ${esc(t.definition.name)} | ${t.definition.category} | ${t.id ?? '**to create**'} | ${esc(attributes)} | ${esc(t.usedBy.join(', '))} |`,
    );
  }
  if (tickets.attributeConflicts.length > 0) {
    lines.push('', 'Attribute type conflicts (fix the map or the workspace):', '');
    for (const c of tickets.attributeConflicts)
      lines.push(`- ${esc(c.ticketType)} / ${esc(c.attribute)}: ${c.wanted} in the map, ${c.existingType} in Intercom`);
  }
  if (tickets.stateMismatches.length > 0) {
    lines.push('', 'Statuses whose ticket state says the opposite (check `ticketDestinations.states`):', '');
    for (const m of tickets.stateMismatches) lines.push(`- ${esc(stateMismatchText(m))}`);
  }
  lines.push('', '## Ticket states the workspace lacks', '');
  if (tickets.statesMissing.length === 0) lines.push('None: every state the map names exists.');
  else {
    lines.push(
      'The API cannot create ticket states: add them in Intercom (Settings → Tickets) or map the statuses to existing states.',
      '',
      '| State | SmarterTrack statuses |',
      '|---|---|',
    );
    for (const m of tickets.statesMissing) lines.push(`| ${esc(m.state)} | ${esc(m.statuses.join(', '))} |`);
  }
  lines.push(
    '',
    'Tickets of these departments land as Intercom tickets of their type; a run refuses to start while a state they need is missing.',
  );
  return lines;
}

/** Problems that stop a run, or that a person should fix first. */
export function planBlockers(plan: WorkspacePlan): string[] {
  return [
    ...(plan.attributeConflicts.length ? [`${plan.attributeConflicts.length} attribute type conflict(s)`] : []),
    ...(plan.attributesMissing.length
      ? [`${plan.attributesMissing.length} missing attribute(s) the map may not create`]
      : []),
    ...(plan.missingTeams.length ? [`${plan.missingTeams.length} team(s) missing in Intercom`] : []),
    ...(plan.tickets.statesMissing.length
      ? [`${plan.tickets.statesMissing.length} ticket state(s) missing in Intercom (the API cannot create them)`]
      : []),
    ...(plan.tickets.attributeConflicts.length
      ? [`${plan.tickets.attributeConflicts.length} ticket attribute type conflict(s)`]
      : []),
  ];
}
