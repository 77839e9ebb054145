import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { WorkspacePlan } from '../../src/engine/workspace';
import { planBlockers, workspacePlanMarkdown } from '../../src/engine/workspace-plan-markdown';
import { testClock } from '../support/clock';

const need = (name: string) => ({
  model: 'conversation' as const,
  name,
  dataType: 'string' as const,
  usedBy: ['tickets.priority'],
});
const plan: WorkspacePlan = {
  appName: 'Acme',
  region: 'eu',
  admins: [
    { agentId: 1, agentName: 'Ann', agentEmail: 'ann@x', adminId: '10', matched: true },
    { agentId: 2, agentName: 'Bo | B', agentEmail: null, adminId: '10', matched: false },
  ],
  unmatchedAgents: [{ agentId: 2, agentName: 'Bo | B', agentEmail: null, adminId: '10', matched: false }],
  teams: [
    { value: 'Support', teamId: '5001' },
    { value: 'Sales', teamId: null },
  ],
  missingTeams: ['Sales'],
  attributesToCreate: [need('st_priority')],
  attributesExisting: [],
  attributeConflicts: [{ need: need('st_tier'), existingType: 'integer' }],
  attributesMissing: [],
  tickets: { types: [], statesMissing: [], stateMismatches: [], attributeConflicts: [] },
};

test('the plan names the workspace, unmatched agents, missing teams and attributes to create', () => {
  const md = workspacePlanMarkdown(plan, testClock);
  assert.match(md, /^# Intercom workspace plan: Acme \(EU\)/);
  assert.match(md, /1 of 2 SmarterTrack agents match/);
  assert.match(md, /\| Bo \\\| B \| — \|/, 'pipes in names are escaped');
  assert.match(md, /\| Sales \| \*\*missing\*\* \|/);
  assert.match(md, /## Data attributes to create \(1\)[\s\S]*st_priority/);
  assert.match(md, /st_tier \| string \(Intercom has integer\)/);
});

test('conflicts and missing teams are blockers', () => {
  assert.deepEqual(planBlockers(plan), ['1 attribute type conflict(s)', '1 team(s) missing in Intercom']);
  assert.deepEqual(planBlockers({ ...plan, attributeConflicts: [], missingTeams: [] }), []);
});

test('ticket types to create and missing ticket states are listed; missing states are blockers', () => {
  const withTickets: WorkspacePlan = {
    ...plan,
    attributeConflicts: [],
    missingTeams: [],
    tickets: {
      types: [
        {
          definition: {
            name: 'Billing',
            description: '',
            category: 'Customer',
            attributes: [],
          },
          id: null,
          attributesToCreate: [
            { name: 'Plan', description: '', dataType: 'list', options: ['Free', 'Pro'], source: 'custom:4' },
          ],
          attributesExisting: [],
          sourceKeyMissing: true,
          sourceKeyName: 'st2ic_source_key',
          usedBy: ['department 2 "Billing"'],
        },
      ],
      statesMissing: [{ state: 'On hold', statuses: ['Hold'] }],
      stateMismatches: [
        { status: 'Closed', state: 'In progress', category: 'in_progress', closed: true },
        { status: 'Active', state: 'Resolved', category: 'resolved', closed: false },
      ],
      attributeConflicts: [],
    },
  };
  const md = workspacePlanMarkdown(withTickets, testClock);
  assert.match(
    md,
    /\| Billing \| Customer \| \*\*to create\*\* \| Plan \(list\), st2ic_source_key \(string, hidden from customers: each ticket's source key\) \| department 2 "Billing" \|/,
  );
  assert.match(md, /\| On hold \| Hold \|/);
  assert.match(
    md,
    /- SmarterTrack status "Closed" is closed, but its ticket state "In progress" is in progress: its tickets will look open in Intercom/,
  );
  assert.match(
    md,
    /- SmarterTrack status "Active" is open, but its ticket state "Resolved" is resolved: its tickets will look done/,
  );
  assert.doesNotMatch(workspacePlanMarkdown(plan, testClock), /Ticket types/, 'no section while all are conversations');
  // A state that says the opposite is a warning, not a blocker: the reviewer may mean it.
  assert.deepEqual(planBlockers(withTickets), ['1 ticket state(s) missing in Intercom (the API cannot create them)']);
});
