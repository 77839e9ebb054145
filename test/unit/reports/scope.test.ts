import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { type ProblemCode, ScopeReport, ScopeSummary } from '../../../src/model/scope';
import { buildScope, writeScopeReports } from '../../../src/reports/scope';
import { MARKDOWN_ID_CAP, scopeMarkdown } from '../../../src/reports/scope-markdown';
import { openSource } from '../../../src/source/open-source';
import { buildMiniDb, MINI } from '../../fixtures/mini/build-mini-db';
import { testClock } from '../../support/clock';

let dir: string;
let report: ScopeReport;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'st2ic-scope-'));
  const db = buildMiniDb({ dir });
  const reader = await openSource(
    { kind: 'sqlite', path: db.file },
    { attachmentsRoot: db.attachmentsRoot, pageSize: 4 },
  );
  try {
    report = await buildScope(reader, { attachmentsRoot: db.attachmentsRoot, clock: testClock });
  } finally {
    await reader.close();
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

const labelled = (code: ProblemCode) => report.problems.find((p) => p.code === code)?.items ?? [];
// Ticket labels ("ticket <number>") are checked on their own below; the other assertions compare the rest.
const items = (code: ProblemCode) => labelled(code).map(({ label: _l, parentLabel: _p, ...rest }) => rest);
const ids = (code: ProblemCode) => items(code).map((i) => i.id);

test('counts follow the counting rules of object-types.ts', () => {
  assert.deepEqual(report.counts, {
    brands: 2,
    departments: 3,
    groups: 2,
    agents: 3,
    endUsers: 8,
    organizations: 4,
    organizationMemberships: 5,
    customFields: 4,
    customFieldValues: 7,
    tickets: 7,
    ticketMessages: 4 + 4 + 495,
    ticketComments: 6,
    attachments: 34 + 1 + 1,
    liveChats: 1,
    chatMessages: 4,
    callLogs: 1,
    kbCategories: 3,
    kbArticles: 3,
    tags: 2,
    automationRules: 2,
    slaPolicies: 2,
  });
});

test('people problems carry the user ids', () => {
  assert.deepEqual(ids('endUserWithoutEmail'), MINI.endUsersWithoutEmail);
  assert.deepEqual(items('duplicateEmail'), [
    { id: 104, email: MINI.duplicateEmail.email, userIds: MINI.duplicateEmail.userIds },
  ]);
  assert.deepEqual(ids('agentWithoutEmail'), [MINI.agentWithoutEmail]);
  assert.ok(!ids('endUserWithoutEmail').includes(MINI.queueUserId));
  assert.deepEqual(ids('deletedEndUser'), [106]);
});

test('custom-field values over the limit the run uses (255, src/model/intercom-limits.ts), unknown types', () => {
  assert.deepEqual(items('customFieldValueNearLimit'), []);
  assert.deepEqual(items('customFieldValueOverLimit'), [
    { id: 1000, parentKind: 'ticket', parentId: 1000, fieldId: 201, length: 449 },
    { id: 1001, parentKind: 'ticket', parentId: 1001, fieldId: 201, length: 450 },
    { id: 1002, parentKind: 'ticket', parentId: 1002, fieldId: 201, length: 513 },
  ]);
  assert.ok(
    labelled('customFieldValueOverLimit').every((i) => /^ticket \S+$/.test(i.parentLabel ?? '')),
    'each value names its ticket as the run does',
  );
  assert.deepEqual(ids('unknownCustomFieldType'), [202]);
});

test('attachment problems: missing (with owner), unsafe, too large, empty; deleted ones not flagged', () => {
  assert.deepEqual(
    items('attachmentMissing').map((i) => [i.id, i.parentKind, i.parentId]),
    [
      [4, 'ticket', 1000],
      [1, 'callLog', 4000],
    ],
  );
  assert.deepEqual(ids('attachmentUnsafePath'), [5]);
  assert.deepEqual(ids('attachmentTooLarge'), [7]);
  assert.deepEqual(ids('attachmentEmpty'), [6]);
  assert.equal(ids('attachmentNotChecked').length, 0);
});

test('tickets: over 500 parts (attachments beyond 10 count), orphans, deleted, spam', () => {
  assert.deepEqual(items('ticketOverPartLimit'), [{ id: MINI.tickets.big, parts: 495 + 4 + 2 }]);
  assert.match(
    labelled('ticketOverPartLimit')[0]?.label ?? '',
    /^ticket \S+$/,
    'named by ticket number, as the run names it',
  );
  assert.deepEqual(
    items('orphanReference').map((i) => [i.id, i.reference, i.referencedId]),
    [
      [MINI.tickets.orphan, 'customer', 999],
      [MINI.tickets.orphan, 'agent', 998],
      [MINI.tickets.orphan, 'department', 99],
    ],
  );
  assert.deepEqual(ids('deletedTicket'), [MINI.tickets.deleted]);
  assert.deepEqual(ids('spamTicket'), [MINI.tickets.spam]);
  assert.deepEqual(items('draftMessage'), [{ id: 3, parentKind: 'ticket', parentId: 1000 }]);
  assert.deepEqual(items('agentOnlyChatLine'), [{ id: 3, parentKind: 'chat', parentId: 3000 }]);
  assert.deepEqual([ids('privateArticle'), ids('draftArticle'), ids('deletedArticle')], [[10], [11], [12]]);
});

test('rebuild inventory: automation, department policies, round robin, call logs, community', () => {
  const areas = Object.fromEntries(report.rebuild.map((r) => [r.area, r]));
  assert.deepEqual(
    report.rebuild.map((r) => r.area),
    ['automationRules', 'departmentPolicies', 'autoAssignment', 'callLogs', 'community'],
  );
  assert.equal(areas.automationRules?.count, 2);
  const [escalate, old] = areas.automationRules!.entries;
  assert.deepEqual(escalate?.inSmarterTrack, [
    'Active rule in group "Tickets", repeating, last changed 2024-01-01',
    'When: [int] IdleHours > 24',
    'When: [id] Department = 10',
    'Then: SetPriority: Priority=Urgent, Notify=true',
  ]);
  assert.ok(escalate?.inIntercom.includes('Action "Mark as priority".'));
  assert.deepEqual(
    [old?.name, old?.inIntercom[0]],
    ['Old rule', 'This rule was inactive in SmarterTrack: rebuild it only if it is still wanted.'],
  );
  assert.deepEqual(
    areas.autoAssignment!.entries.map((e) => [e.name, e.sourceId]),
    [
      ['Round robin: Support / Front line', '10:1'],
      ['Rebalance rule: Nightly rebalance', '1'],
    ],
  );
  assert.ok(
    areas.autoAssignment!.entries[0]!.inIntercom[0]!.includes('for team "Support"'),
    'before a map, the team is named after the department',
  );
  assert.deepEqual(
    areas.departmentPolicies?.entries.map((e) => e.inSmarterTrack),
    [
      ['Department "Support"', 'Auto-close: tickets waiting on the customer are closed after 48 hours'],
      ['Department "Sales"', 'Call logs are deleted after 30 days'],
      [
        'Department "Old"',
        'Auto-lock: closed tickets are locked against replies after 72 hours',
        'Auto-delete: closed tickets are deleted after 365 days',
      ],
    ],
  );
  assert.equal(
    areas.departmentPolicies?.count,
    3,
    'the departments listed (the source counts 2 slaPolicies: ticket timers only)',
  );
  assert.equal(areas.autoAssignment?.count, 2);
  assert.equal(areas.callLogs?.count, 1);
  assert.match(
    areas.callLogs!.entries[0]!.inIntercom.join('\n'),
    /^By default the map sends each call as a closed conversation.*\n.*options\.callLogsAs to "custom-object"/,
  );
  assert.equal(areas.community?.count, 3);
});

test('scope.md lists the rebuild sections as the inventory does, capping the entries', () => {
  const md = scopeMarkdown(report);
  assert.match(
    md,
    /### Department lifecycle settings \(auto-close, auto-lock, auto-delete\) \(3\)\n\nPer-department timers do not migrate/,
  );
  assert.match(md, /#### Escalate idle tickets \(SmarterTrack #1\)\n\nIn SmarterTrack:\n\n- Active rule/);
  const rules = report.rebuild.find((r) => r.area === 'automationRules')!;
  const many = {
    ...report,
    rebuild: [
      {
        ...rules,
        count: 60,
        entries: Array.from({ length: 60 }, (_, i) => ({ ...rules.entries[0]!, name: `Rule ${i + 1}` })),
      },
    ],
  };
  const capped = scopeMarkdown(many);
  assert.match(capped, new RegExp(`#### Rule ${MARKDOWN_ID_CAP} [\\s\\S]*… and 10 more \\(all in scope.json\\)\\.`));
  assert.doesNotMatch(capped, new RegExp(`#### Rule ${MARKDOWN_ID_CAP + 1} `));
});

test('a scope.json of version 1 (one line of advice per rebuild area) still gives the Migration view its summary', () => {
  const older = {
    ...report,
    version: 1,
    rebuild: [{ area: 'callLogs', title: 'Call logs', count: 1, advice: 'Decide in the mapping.', details: [] }],
  };
  assert.equal(ScopeReport.safeParse(older).success, false);
  const summary = ScopeSummary.parse(JSON.parse(JSON.stringify(older)));
  assert.deepEqual(
    [summary.counts.tickets, summary.problems.length, summary.generatedAt],
    [7, report.problems.length, report.generatedAt],
  );
});

test('the estimate adds up per object, at 10,000 requests per minute', () => {
  const e = report.estimate;
  const byObject = Object.fromEntries(e.lines.map((l) => [l.object, l.calls]));
  // tickets: 7 creates + (503 + 6 − 7 with messages) further parts + 2 attachment parts + 7 updates + 4 assigned (an existing user, not the queue) + 2 closed + 7 tags
  assert.equal(byObject['conversations (tickets)'], 7 + 502 + 2 + 7 + 4 + 2 + 7);
  // chats: 1 create + 3 further lines + update + close + tag
  assert.equal(byObject['conversations (live chats)'], 1 + 3 + 1 + 1 + 1);
  assert.equal(byObject['contacts'], 8 + 5);
  assert.equal(byObject['companies'], 4);
  assert.equal(byObject['help center'], 6);
  assert.equal(
    e.totalCalls,
    e.lines.reduce((s, l) => s + l.calls, 0),
  );
  assert.equal(e.minutes, Math.round((e.totalCalls / 10_000) * 100) / 100);
  // As Intercom tickets: 7 creates + 509 parts (every message and comment: a ticket is created without one) + 2 attachment parts + 7 tags + 7 states (assignee in the create)
  const asTickets = e.asIntercomTickets!;
  assert.equal(asTickets.line.calls, 7 + 509 + 2 + 7 + 7);
  assert.equal(asTickets.totalCalls, e.totalCalls - byObject['conversations (tickets)']! + asTickets.line.calls);
  assert.equal(asTickets.minutes, Math.round((asTickets.totalCalls / 10_000) * 100) / 100);
  assert.match(scopeMarkdown(report), /sent to Intercom tickets instead[^\n]*532 calls for tickets/);
});

test('reports are written; Markdown caps id lists, JSON keeps them all and parses', async () => {
  const many: ScopeReport = {
    ...report,
    problems: [
      {
        code: 'deletedTicket',
        severity: 'info',
        title: 'Deleted tickets',
        advice: 'x',
        count: 120,
        items: Array.from({ length: 120 }, (_, i) => ({ id: i + 1 })),
      },
    ],
  };
  const md = scopeMarkdown(many);
  assert.match(md, new RegExp(`Ids: 1, 2, .*, ${MARKDOWN_ID_CAP}, … and 70 more \\(all in scope.json\\)`));
  assert.doesNotMatch(md, /, 51,/);
  const files = await writeScopeReports(many, path.join(dir, 'ws'));
  const json = ScopeReport.parse(JSON.parse(readFileSync(files.json, 'utf8')));
  assert.equal(json.problems[0]!.items.length, 120);
  assert.equal(files.markdown, path.join(dir, 'ws', 'migration', 'reports', 'scope.md'));
  assert.match(readFileSync(files.markdown, 'utf8'), /^# Migration scope/);
});

test('without an attachments root, attachments are reported as not checked', async () => {
  const reader = await openSource({ kind: 'sqlite', path: path.join(dir, 'mini.db') });
  try {
    const r = await buildScope(reader, { attachmentsRoot: null });
    const notChecked = r.problems.find((p) => p.code === 'attachmentNotChecked');
    assert.equal(notChecked?.count, 34 - 1 - 1 + 1 + 1, 'every non-deleted attachment with a safe name');
    assert.equal(
      r.problems.find((p) => p.code === 'attachmentMissing'),
      undefined,
    );
  } finally {
    await reader.close();
  }
});
