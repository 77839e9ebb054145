import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { intercomClientFor } from '../../src/engine/intercom-client';
import { planWorkspace, workspacePlanSummary } from '../../src/engine/workspace-plan-report';
import { readMappingFile } from '../../src/mapping/mapping-file';
import type { RunningSandbox } from '../../src/sandbox';
import { testClock } from '../support/clock';
import {
  type Dataset,
  makeDataset,
  openDataset,
  removeDir,
  runCli,
  runIds,
  startSeededSandbox,
  tempDir,
  writeMap,
} from '../support/engine-fixtures';

// Issue 5 (configure workspace: show the plan, then apply) through the CLI the extension mirrors.
let dir: string;
let ds: Dataset;
let sandbox: RunningSandbox;

before(async () => {
  dir = tempDir('configure');
  ds = await makeDataset(dir, 0.1, 4);
  sandbox = await startSeededSandbox(ds);
});

after(async () => {
  await sandbox?.close();
  removeDir(dir);
});

// configure reads agents and the map, never files: it takes no --attachments.
const configureArgs = (extra: string[] = []) => [
  'configure',
  '--source',
  `sqlite:${ds.dbPath}`,
  '--workspace',
  dir,
  '--intercom-url',
  sandbox.url,
  ...extra,
];

const attributeCount = () =>
  Object.keys(sandbox.state().dataAttributes).length + Object.keys(sandbox.state().conversationAttributes).length;

test('configure shows the plan, changes nothing unconfirmed, then creates the attributes and can be rolled back', async () => {
  await writeMap(dir, ds, 'draft');
  const draft = await runCli(configureArgs(['--yes']), sandbox.token);
  assert.equal(draft.code, 2, 'a draft map cannot configure the workspace');
  assert.match(draft.stderr, /needs the map reviewed/);

  await writeMap(dir, ds, 'reviewed');
  const unconfirmed = await runCli(configureArgs(), sandbox.token);
  assert.equal(unconfirmed.code, 2, unconfirmed.stderr);
  assert.match(unconfirmed.stderr, /attribute\(s\) to create/);
  assert.ok(existsSync(path.join(dir, 'migration', 'reports', 'workspace-plan.md')));
  assert.equal(attributeCount(), 0, 'nothing was created before confirmation');

  // The editor's Configure calls the same engine entry point: same plan, same words as the CLI's.
  const cliPlan = readFileSync(path.join(dir, 'migration', 'reports', 'workspace-plan.md'), 'utf8');
  const reader = await openDataset(ds);
  const client = intercomClientFor({ token: sandbox.token, baseUrl: sandbox.url });
  const editor = await planWorkspace({
    workspaceDir: dir,
    client,
    reader,
    map: await readMappingFile(dir),
    clock: testClock,
  }).finally(() => reader.close());
  assert.ok(unconfirmed.stderr.includes(workspacePlanSummary(editor.plan)), unconfirmed.stderr);
  assert.match(
    workspacePlanSummary(editor.plan),
    /\d+ attribute\(s\) to create, \d+ team\(s\) and \d+ teammate\(s\) missing/,
  );
  const withoutDate = (markdown: string) => markdown.replace(/^Generated \S+/m, 'Generated');
  assert.equal(withoutDate(readFileSync(editor.file, 'utf8')), withoutDate(cliPlan));
  assert.equal(attributeCount(), 0, 'planning wrote nothing to Intercom');

  const applied = await runCli(configureArgs(['--yes', '--json']), sandbox.token);
  assert.equal(applied.code, 0, applied.stderr);
  const result = JSON.parse(applied.stdout.trim().split('\n').at(-1)!) as {
    runId: string;
    status: string;
    counts: Record<string, { migrated: number }>;
  };
  assert.equal(result.status, 'completed');
  assert.ok(attributeCount() > 5, "the map's attributes exist in the workspace");
  assert.ok((result.counts.agents?.migrated ?? 0) > 0, 'agents were matched to admins');
  assert.equal(
    Object.keys(sandbox.state().contacts).length + Object.keys(sandbox.state().conversations).length,
    0,
    'no record moved',
  );
  assert.deepEqual(
    runIds(dir).map((id) => id.split('-')[1]),
    ['configure'],
  );

  const undone = await runCli(
    ['rollback', result.runId, '--workspace', dir, '--intercom-url', sandbox.url, '--yes'],
    sandbox.token,
  );
  assert.equal(undone.code, 0, undone.stderr);
  const live = [
    ...Object.values(sandbox.state().dataAttributes),
    ...Object.values(sandbox.state().conversationAttributes),
  ].filter((a) => !a.archived);
  assert.deepEqual(live, [], 'rollback archived every attribute the configure run created');
});
