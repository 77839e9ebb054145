import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { Conversation } from '../../../src/intercom';
import type { ReconciliationRow } from '../../../src/model/reports';
import { expectedChatParts, timelineMismatches, type ExpectedPart } from '../../../src/reports/expectations';
import { pickSample } from '../../../src/reports/field-check';
import { compareSourceIds, reconciliationCsv } from '../../../src/reports/reconciliation';

const T0 = 1_700_000_000;

function conversation(parts: [number, string, number?][]): Conversation {
  return {
    id: '1', created_at: T0,
    conversation_parts: {
      conversation_parts: parts.map(([at, type, files], i) => ({
        id: String(i + 10), part_type: type, created_at: at, attachments: Array.from({ length: files ?? 0 }, () => ({ name: 'f' })),
      })),
    },
  } as Conversation;
}

const part = (ref: string, at: number, kind: ExpectedPart['kind'] = 'message', attachments: number | null = null): ExpectedPart => ({ ref, createdAt: at, kind, attachments });

test('a timeline in order, with extra parts between, matches', () => {
  const conv = conversation([[T0 + 10, 'note'], [T0 + 20, 'assignment'], [T0 + 30, 'comment', 2], [T0 + 40, 'close']]);
  assert.deepEqual(timelineMismatches([part('m:1', T0), part('c:1', T0 + 10, 'note'), part('m:2', T0 + 30, 'message', 2)], conv), []);
});

test('missing, out-of-order and wrong-kind parts are reported', () => {
  // Actual: source (T0), then T0+30, T0+10, T0+50 (a comment where a note is expected).
  const conv = conversation([[T0 + 30, 'comment'], [T0 + 10, 'comment'], [T0 + 50, 'comment']]);
  const got = timelineMismatches([
    part('m:1', T0),
    part('m:2', T0 + 10),
    part('m:3', T0 + 30),
    part('c:1', T0 + 50, 'note'),
    part('m:4', T0 + 60),
  ], conv);
  assert.deepEqual(got.map((m) => [m.field, m.actual]), [
    ['part m:3', 'out of order (position 2 of 4)'],
    ['part c:1', 'missing'],
    ['part m:4', 'missing'],
  ]);
  assert.equal(got[0]!.expected, 'message at 2023-11-14T22:13:50Z, in source order');
});

test('the opening message may come after an agent message of the source; parts keep their order', () => {
  // Source: agent message at T0-60, then the customer's at T0 (the opener), then a note at T0+10.
  const conv = conversation([[T0 - 60, 'comment'], [T0 + 10, 'note']]);
  assert.deepEqual(timelineMismatches([part('m:1', T0 - 60), part('m:2', T0), part('c:1', T0 + 10, 'note')], conv), []);
  const swapped = conversation([[T0 + 10, 'note'], [T0 - 60, 'comment']]);
  assert.deepEqual(timelineMismatches([part('m:1', T0 - 60), part('m:2', T0), part('c:1', T0 + 10, 'note')], swapped).map((m) => [m.field, m.actual]), [
    ['part c:1', 'out of order (position 2 of 3)'],
  ]);
});

test('attachment counts are compared on parts, not on the opening message', () => {
  const conv = conversation([[T0 + 30, 'comment', 1]]);
  const got = timelineMismatches([part('m:1', T0, 'message', 5), part('m:2', T0 + 30, 'message', 3)], conv);
  assert.deepEqual(got, [{ field: 'part m:2 attachments', expected: '3', actual: '1' }]);
});

test('chat lines: agent-only lines are notes, system lines and undated lines are not expected', () => {
  const line = (id: number, senderType: 'customer' | 'agent' | 'system', agentOnly: boolean, date: string | null) =>
    ({ id, chatId: 1, userId: null, senderType, agentOnly, isHtml: false, text: 'x', date });
  const parts = expectedChatParts([
    line(1, 'customer', false, '2024-01-01T00:00:00.000Z'),
    line(2, 'system', false, '2024-01-01T00:00:01.000Z'),
    line(3, 'agent', true, '2024-01-01T00:00:02.000Z'),
    line(4, 'agent', false, null),
  ]);
  assert.deepEqual(parts.map((p) => [p.ref, p.kind]), [['chatMessages:1', 'message'], ['chatMessages:3', 'note']]);
});

test('samples are spread over the whole list, deterministic, and all means all', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  assert.deepEqual(pickSample(items, 4), [0, 25, 50, 75]);
  assert.deepEqual(pickSample(items, 'all'), items);
  assert.deepEqual(pickSample([1, 2], 20), [1, 2]);
  assert.deepEqual(pickSample(items, 0), []);
});

test('source ids sort numerically, composite ids by their parts', () => {
  assert.deepEqual(['10', '9', '2:10', '2:9', '100', 'opener:x'].sort(compareSourceIds), ['2:9', '2:10', '9', '10', '100', 'opener:x']);
});

test('CSV fields with commas, quotes, line breaks and leading spaces survive a round trip', () => {
  const rows: ReconciliationRow[] = [
    { objectType: 'endUsers', sourceId: '7', state: 'failed', reason: 'validation', field: 'email', message: 'bad "a, b"\r\nnext line', runId: 'r' },
    { objectType: 'tickets', sourceId: '8', state: 'skipped', reason: '  spaced, ', field: '', message: '', runId: 'r' },
    { objectType: 'tickets', sourceId: '9', state: 'unaccounted', reason: 'no record entry in the ledger', field: '', message: 'é ünïcode — ok', runId: '' },
  ];
  const text = reconciliationCsv(rows);
  assert.ok(text.startsWith('objectType,sourceId,state,reason,field,message,runId\r\n'));
  assert.deepEqual(parse(text, { columns: true }), rows);
});
