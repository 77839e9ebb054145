import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type CountsByType, headlineFigures, runFigures } from '../../src/model/run-figures';

const c = (migrated: number, skipped = 0, failed = 0) => ({ migrated, skipped, failed });

test("a sample's figures: the conversations, contacts and companies first, every record after, each labelled", () => {
  // What the ledger counts for one sample: messages, attachments and reference objects besides.
  const run: CountsByType = {
    tickets: c(120),
    liveChats: c(20),
    callLogs: c(8),
    endUsers: c(60, 2),
    organizations: c(12),
    ticketMessages: c(350, 7),
    attachments: c(28, 18),
  };
  assert.equal(
    runFigures(run),
    '148 conversations, 60 contacts, 12 companies migrated, 2 skipped; all records: 598 migrated · 27 skipped · 0 failed',
  );
  // The mapping editor counts the records it lists (those five types only): the same headline.
  const listed: CountsByType = {
    tickets: c(120),
    liveChats: c(20),
    callLogs: c(8),
    endUsers: c(60, 2),
    organizations: c(12),
  };
  assert.equal(headlineFigures(listed), '148 conversations, 60 contacts, 12 companies migrated, 2 skipped');
  assert.ok(runFigures(run).startsWith(headlineFigures(listed)));
});

test('a run with no conversations, contacts or companies (configure) names only its records', () => {
  assert.equal(runFigures({ customFields: c(3, 4), agents: c(1) }), 'all records: 4 migrated · 4 skipped · 0 failed');
  assert.equal(headlineFigures({ kbArticles: c(1) }), '1 article migrated');
});
