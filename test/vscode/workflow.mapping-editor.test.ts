import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import * as vscode from 'vscode';

import type { MigrationResult } from '../../src/engine/run-migration';
import type { MappingEditorProbe } from '../../src/extension/mapping-editor/mapping-editor';
import { openLedger } from '../../src/ledger';
import { parseMappingText } from '../../src/mapping/mapping-file';
import { contentHash, effectiveStatus } from '../../src/mapping/review';
import { MappingFile } from '../../src/model/mapping';
import type { EditorState, HostMessage } from '../../src/model/mapping-editor-messages';
import { countsOfListed, headlineFigures } from '../../src/model/run-figures';
import { SampleResults } from '../../src/model/sample-results';
import { api, ScriptedPrompts } from './host-support';

// The mapping editor in the workspace the workflow suite leaves behind (source connected, AI off).
// The real webview loads and says it is ready; the test then speaks for it through the probe, whose
// messages take the same path and checks as the webview's.

const dataset = process.env.ST2IC_TEST_DATASET;
const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const mappingFile = () => path.join(root(), 'migration', 'mapping.json');
const onDisk = () => parseMappingText(readFileSync(mappingFile(), 'utf8'));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function lastOf<T extends HostMessage['type']>(
  editor: MappingEditorProbe,
  type: T,
  after = 0,
): Extract<HostMessage, { type: T }> | undefined {
  return editor.posted
    .slice(after)
    .filter((m): m is Extract<HostMessage, { type: T }> => m.type === type)
    .at(-1);
}

function stateMap(state: EditorState): MappingFile {
  return MappingFile.parse(state.map);
}

describe('the mapping editor (custom editor of migration/mapping.json)', function () {
  if (!dataset) {
    it.skip('needs ST2IC_TEST_DATASET (npm run test:e2e generates it)');
    return;
  }
  this.timeout(180_000);
  const prompts = new ScriptedPrompts();
  let editor: MappingEditorProbe;
  let document: vscode.TextDocument;

  before(async () => {
    api().usePrompts(prompts);
    await vscode.commands.executeCommand('st2ic.startSandbox');
  });

  after(async () => {
    api().usePrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('st2ic.stopSandbox');
  });

  it('with no AI configured, the heuristic proposals fill the editor, each with a confidence and a reason', async () => {
    rmSync(mappingFile(), { force: true });
    await vscode.commands.executeCommand('st2ic.openMapping');
    editor = await until('the editor to open', () => api().mappingEditor());
    // The real webview sends `ready` once its script runs; only then does the host send the state.
    const state = (await until('the first state message', () => lastOf(editor, 'state'))).state;
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(mappingFile()));
    const map = stateMap(state);
    const fields = Object.values(map.objects).flatMap((o) => o.fields);
    assert.ok(fields.length > 10, `${fields.length} fields`);
    assert.ok(
      fields.every(
        (f) => f.proposal && f.proposal.reason.length > 0 && f.proposal.confidence >= 0 && f.proposal.confidence <= 1,
      ),
    );
    assert.ok(
      fields.every((f) => f.proposal?.by !== 'ai'),
      'no AI proposal',
    );
    assert.ok(
      fields.some((f) => f.proposal?.by === 'heuristic' && f.source.startsWith('custom:')),
      'custom fields proposed by the heuristic',
    );
    assert.equal(state.status, 'draft');
    assert.equal(editor.rejected, 0, 'the webview sent nothing malformed');
    // The Teams value map picks from the connected workspace's teams (the sandbox's seed).
    assert.deepEqual(state.teams?.map((t) => t.name).sort(), ['Billing', 'Support', 'Technical']);
  });

  it('accepting a field edits the document: dirty, undoable, a one-line diff once saved', async () => {
    const before = document.getText();
    const map = onDisk();
    const index = map.objects.tickets.fields.findIndex((f) => !f.reviewed);
    const field = map.objects.tickets.fields[index]!;
    await editor.receive({ type: 'accept', object: 'tickets', index, source: field.source });
    assert.ok(document.isDirty, 'the edit is in the document, not yet on disk');
    const changed = before.split('\n').filter((line, i) => line !== document.getText().split('\n')[i]);
    assert.deepEqual(
      changed.map((l) => l.trim()),
      ['"reviewed": false'],
      'one line changes',
    );
    await vscode.commands.executeCommand('undo');
    await until('undo to restore the text', () => (document.getText() === before ? true : undefined));
    await editor.receive({ type: 'accept', object: 'tickets', index, source: field.source });
    await document.save();
    assert.equal(onDisk().objects.tickets.fields[index]?.reviewed, true);
  });

  it('refuses messages that fail their schema, and edits addressed to a field that is not there', async () => {
    const text = document.getText();
    const rejected = editor.rejected;
    await editor.receive({ type: 'accept', object: 'users', index: 0, source: 'email' });
    await editor.receive({ type: 'openLink', url: 'javascript:alert(1)' });
    await editor.receive({
      type: 'edit',
      object: 'tickets',
      index: 0,
      source: 'subject',
      target: { kind: '<script>' },
      transform: {},
    });
    assert.equal(editor.rejected, rejected + 3);
    const notices = editor.posted.length;
    await editor.receive({ type: 'accept', object: 'tickets', index: 0, source: 'no-such-field' });
    assert.equal(lastOf(editor, 'notice', notices)?.level, 'error');
    assert.equal(document.getText(), text, 'nothing changed');
    // The webview's requests carry an id: the refusal comes back addressed to that request.
    const asked = editor.posted.length;
    await editor.receive({ type: 'accept', object: 'tickets', index: 0, source: 'no-such-field', requestId: 41 });
    const reply = lastOf(editor, 'reply', asked);
    assert.equal(reply?.requestId, 41);
    assert.match(reply?.error ?? '', /no-such-field|changed|not/i);
    assert.equal(lastOf(editor, 'notice', asked), undefined, 'no untargeted notice for a request with an id');
    // Set to what it is already: the request succeeds and changes nothing.
    const enabled = (JSON.parse(document.getText()) as MappingFile).objects.callLogs.enabled;
    await editor.receive({ type: 'setEnabled', object: 'callLogs', enabled, requestId: 42 });
    assert.deepEqual(lastOf(editor, 'reply', asked), { type: 'reply', requestId: 42, error: null });
    assert.equal(document.getText(), text, 'nothing changed');
  });

  it('a mapping.json that does not match its schema shows the error, and edits are refused until it is fixed', async () => {
    const good = document.getText();
    const broken = new vscode.WorkspaceEdit();
    broken.replace(
      document.uri,
      new vscode.Range(document.positionAt(0), document.positionAt(good.length)),
      '{ "formatVersion": 2 }\n',
    );
    assert.ok(await vscode.workspace.applyEdit(broken));
    const state = await until('the state with the error', () => {
      const s = lastOf(editor, 'state')?.state;
      return s?.error ? s : undefined;
    });
    assert.equal(state.map, null);
    assert.match(state.error ?? '', /formatVersion/);
    const after = editor.posted.length;
    await editor.receive({ type: 'acceptAbove', object: 'all', min: 0 });
    assert.equal(lastOf(editor, 'notice', after)?.level, 'error');
    assert.equal(document.getText(), '{ "formatVersion": 2 }\n', 'nothing written over the broken text');
    const fix = new vscode.WorkspaceEdit();
    fix.replace(
      document.uri,
      new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)),
      good,
    );
    assert.ok(await vscode.workspace.applyEdit(fix));
    await document.save();
    await until('the map again', () => (lastOf(editor, 'state')?.state.error === null ? true : undefined));
  });

  it('previews sample records: source value → mapped value → result for each field', async () => {
    const after = editor.posted.length;
    await editor.receive({ type: 'preview', object: 'tickets', count: 3 });
    const preview = await until('the preview', () => lastOf(editor, 'preview', after));
    assert.equal(preview.error, null);
    assert.equal(preview.records.length, 3);
    const map = onDisk();
    for (const record of preview.records) assert.equal(record.fields.length, map.objects.tickets.fields.length);
    assert.ok(
      preview.records.some((r) =>
        r.fields.some((f) => f.target === 'title' && typeof f.mapped === 'string' && f.mapped.length > 0),
      ),
      'titles are mapped',
    );
  });

  it('approving with fields not accepted says so before the name and the modal; Review Them First stamps nothing', async () => {
    const questions = prompts.asked.length;
    prompts.script({ pick: 'Review Them First' });
    await editor.receive({ type: 'confirm', level: 'approved' });
    assert.match(prompts.asked[questions] ?? '', /^\d+ field mapping\(s\) not accepted yet$/);
    assert.equal(prompts.asked.length, questions + 1, 'no name asked, no modal');
    assert.equal(onDisk().review.status, 'draft');
  });

  it('approving stamps who and the hash on disk; an edit afterwards makes a full migration refuse until approved again', async () => {
    prompts.script({ pick: 'Approve Anyway' }, { input: 'Dana Reviewer' }, { confirm: true });
    await editor.receive({ type: 'confirm', level: 'approved' });
    assert.equal(prompts.inputs.at(-1)?.title, 'Approve the Field Map', 'the name box says what it is for');
    assert.match(prompts.inputs.at(-1)?.placeHolder ?? '', /^Your name/);
    const approved = onDisk();
    assert.equal(approved.review.status, 'approved');
    assert.equal(approved.review.approved?.by, 'Dana Reviewer');
    assert.equal(approved.review.approved?.hash, contentHash(approved));
    assert.ok(!document.isDirty, 'the stamp is saved at once');
    assert.equal(
      (
        await until('the approved state', () => {
          const s = lastOf(editor, 'state')?.state;
          return s?.status === 'approved' ? s : undefined;
        })
      ).approved?.by,
      'Dana Reviewer',
    );

    const index = approved.objects.contacts.fields.findIndex(
      (f) => f.target.kind !== 'drop' && f.source !== 'email' && f.source !== 'id',
    );
    const notices = editor.posted.length;
    await editor.receive({
      type: 'drop',
      object: 'contacts',
      index,
      source: approved.objects.contacts.fields[index]!.source,
      reason: 'not wanted',
    });
    const revoked = lastOf(editor, 'notice', notices);
    assert.equal(revoked?.level, 'warning', 'one click on Drop that revokes the approval says so');
    assert.match(revoked?.message ?? '', /^The map is back to draft: .* approval of Dana Reviewer\. Approve it again/);
    await document.save();
    assert.equal(effectiveStatus(onDisk()), 'draft', 'the stamp no longer matches the content');
    const stale = await until('the state to show the stale stamp', () => {
      const s = lastOf(editor, 'state')?.state;
      return s && s.claimed === 'approved' && s.status === 'draft' ? s : undefined;
    });
    assert.equal(stale.approved?.by, 'Dana Reviewer');

    const runsBefore = await runCount();
    prompts.script();
    const questions = prompts.asked.length;
    assert.equal(
      await vscode.commands.executeCommand<MigrationResult | undefined>('st2ic.runFull'),
      undefined,
      'the full run is refused',
    );
    assert.equal(await runCount(), runsBefore, 'no run started');
    assert.deepEqual(prompts.asked.slice(questions), [], 'refused before "Start a full migration?" is asked');

    prompts.script({ pick: 'Approve Anyway' }, { input: 'Dana Reviewer' }, { confirm: true });
    await editor.receive({ type: 'confirm', level: 'approved' });
    assert.equal(effectiveStatus(onDisk()), 'approved');
  });

  it('runs the sample from the editor and shows what Intercom holds beside each source record', async () => {
    const after = editor.posted.length;
    prompts.script({ confirm: true });
    await editor.receive({ type: 'runSample' });
    const message = await until('the sample results', () => lastOf(editor, 'sampleResults', after), 120_000);
    assert.equal(message.error, null);
    const results = SampleResults.parse(message.results);
    const conversations = results.items.filter((i) => i.object === 'tickets' && i.state === 'migrated');
    assert.ok(conversations.length > 0, 'migrated tickets are listed');
    // The run's notification and the editor's summary count the same records in the same words.
    const headline = headlineFigures(countsOfListed(results.items));
    assert.ok(headline.length > 0);
    const notice = api().notices().at(-1);
    assert.ok(
      notice?.text.includes(`${headline};`),
      `the notification "${notice?.text}" says "${headline}" as the editor does`,
    );
    // Records that read back "as mapped" do not hide the agents no admin matched (the dataset's have other emails).
    assert.ok(
      results.attention.some((t) => /agents? match no Intercom admin/.test(t)),
      results.attention.join(' | '),
    );
    const sandbox = api().sandbox()!;
    for (const item of conversations) {
      assert.ok(item.intercom?.url?.startsWith(sandbox.url), `a link into the sandbox: ${item.intercom?.url}`);
      assert.deepEqual(item.mismatches, [], `ticket ${item.sourceId} reads back as mapped`);
    }
  });
});

async function runCount(): Promise<number> {
  const ledger = await openLedger(root());
  try {
    return (await ledger.listRuns()).length;
  } finally {
    await ledger.close();
  }
}
