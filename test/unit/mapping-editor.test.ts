import assert from 'node:assert/strict';
import { test } from 'node:test';

import { contentSecurityPolicy, webviewHtml } from '../../src/extension/mapping-editor/webview-html';
import { buildDefaultMap } from '../../src/mapping/default-map';
import {
  acceptAbove,
  acceptField,
  conflictingFields,
  dropField,
  editField,
  setGlobalValueMap,
  StaleEditError,
} from '../../src/mapping/map-edits';
import { mappingText, parseMappingText } from '../../src/mapping/mapping-file';
import { assertRunAllowed, confirmMap, effectiveStatus, MapNotConfirmedError } from '../../src/mapping/review';
import type { MappingFile } from '../../src/model/mapping';
import { HostMessage, WebviewMessage } from '../../src/model/mapping-editor-messages';

function map(): MappingFile {
  return buildDefaultMap({
    customFields: [
      {
        id: 1,
        name: 'Product version',
        dataType: 0,
        kind: 'text',
        defaultValue: null,
        options: [],
        isGlobal: true,
        templates: [],
      },
      {
        id: 5,
        name: 'Odd',
        dataType: 42,
        kind: 'unknown',
        defaultValue: null,
        options: [],
        isGlobal: true,
        templates: [],
      },
    ],
    fieldChannels: new Map([
      [1, new Set(['ticket' as const])],
      [5, new Set(['ticket' as const])],
    ]),
    samples: new Map(),
    statuses: [
      { id: 1, name: 'Active', displayName: 'Active', sortOrder: 1, isOpen: true, isActive: true, isLocked: false },
    ],
    priorities: [{ id: 1, name: 'Low', displayName: 'Low', sortOrder: 1 }],
    departmentNames: ['Support'],
    brands: [],
  });
}

const refOf = (m: MappingFile, source: string) => {
  const index = m.objects.tickets.fields.findIndex((f) => f.source === source);
  assert.ok(index >= 0, `tickets has ${source}`);
  return { object: 'tickets' as const, index, source };
};

test('accepting one field marks it reviewed and changes nothing else (a one-line diff)', () => {
  const before = map();
  const ref = refOf(before, 'custom:1');
  const after = acceptField(before, ref);
  assert.equal(after.objects.tickets.fields[ref.index]?.reviewed, true);
  const a = mappingText(before).split('\n');
  const b = mappingText(after).split('\n');
  assert.equal(a.length, b.length);
  const changed = a.filter((line, i) => line !== b[i]);
  assert.deepEqual(
    changed.map((l) => l.trim()),
    ['"reviewed": false'],
  );
});

test('accept above a confidence takes only the confident, unreviewed fields', () => {
  const m = map();
  const odd = refOf(m, 'custom:5');
  const oddConfidence = m.objects.tickets.fields[odd.index]?.proposal?.confidence ?? 1;
  assert.ok(oddConfidence < 0.5, 'the unknown-type field is proposed with low confidence');
  const { map: after, accepted } = acceptAbove(m, 'tickets', 0.8);
  assert.ok(accepted > 0);
  assert.equal(after.objects.tickets.fields[odd.index]?.reviewed, false);
  assert.ok(after.objects.tickets.fields.filter((f) => (f.proposal?.confidence ?? 1) >= 0.8).every((f) => f.reviewed));
  assert.ok(
    after.objects.contacts.fields.every((f) => !f.reviewed),
    'other objects untouched',
  );
  assert.equal(acceptAbove(after, 'tickets', 0.8).accepted, 0, 'a second pass accepts nothing more');
});

test("an edit is recorded as the reviewer's, keeping what was proposed in the reason", () => {
  const m = map();
  const ref = refOf(m, 'custom:5');
  const after = editField(
    m,
    ref,
    { kind: 'attribute', name: 'Legacy code', dataType: 'string', create: true },
    { kind: 'string', overflow: 'note', invalid: 'fail', maxLength: 100 },
  );
  const f = after.objects.tickets.fields[ref.index];
  assert.deepEqual(f?.target, { kind: 'attribute', name: 'Legacy code', dataType: 'string', create: true });
  assert.equal(f?.proposal?.by, 'person');
  assert.equal(f?.reviewed, true);
  assert.match(f?.proposal?.reason ?? '', /proposed: /);
  const dropped = dropField(m, ref, '  ');
  assert.deepEqual(dropped.objects.tickets.fields[ref.index]?.target, {
    kind: 'drop',
    reason: 'dropped by the reviewer',
  });
});

test('an edit addressed to a field that moved is refused, not applied to another row', () => {
  const m = map();
  const ref = refOf(m, 'custom:5');
  assert.throws(() => acceptField(m, { ...ref, source: 'custom:1' }), StaleEditError);
  assert.throws(() => acceptField(m, { ...ref, index: 999 }), StaleEditError);
});

test('two fields feeding one Intercom field are flagged as a conflict', () => {
  const m = map();
  assert.equal(conflictingFields(m, 'tickets').size, 0);
  const a = refOf(m, 'custom:1');
  const b = refOf(m, 'custom:5');
  const target = { kind: 'attribute' as const, name: 'Version', dataType: 'string' as const, create: true };
  const both = editField(
    editField(m, a, target, { kind: 'none', overflow: 'trim', invalid: 'fail' }),
    b,
    { ...target, name: 'version' },
    { kind: 'none', overflow: 'trim', invalid: 'fail' },
  );
  assert.deepEqual([...conflictingFields(both, 'tickets')].sort(), [a.index, b.index].sort());
});

test('global value maps: set and remove one entry', () => {
  const m = setGlobalValueMap(map(), { map: 'ticketStatus', key: 'Waiting', value: 'snoozed' });
  assert.equal(m.valueMaps.ticketStatus.Waiting, 'snoozed');
  assert.equal(
    setGlobalValueMap(m, { map: 'ticketStatus', key: 'Waiting', value: null }).valueMaps.ticketStatus.Waiting,
    undefined,
  );
});

test('an edit after approval makes full runs refuse until the map is approved again', () => {
  const approved = confirmMap(map(), 'approved', 'Reviewer');
  assert.doesNotThrow(() => assertRunAllowed(approved, 'full'));
  const edited = parseMappingText(mappingText(dropField(approved, refOf(approved, 'custom:1'), 'not needed')));
  assert.equal(effectiveStatus(edited), 'draft');
  assert.throws(() => assertRunAllowed(edited, 'full'), MapNotConfirmedError);
  assert.doesNotThrow(() => assertRunAllowed(confirmMap(edited, 'approved', 'Reviewer'), 'full'));
});

test('webview messages are checked: unknown types, bad objects, non-http links and out-of-range values are refused', () => {
  assert.ok(WebviewMessage.safeParse({ type: 'accept', object: 'tickets', index: 0, source: 'subject' }).success);
  for (const bad of [
    { type: 'accept', object: 'users', index: 0, source: 'subject' },
    { type: 'accept', object: 'tickets', index: -1, source: 'subject' },
    { type: 'acceptAbove', object: 'all', min: 1.5 },
    { type: 'openLink', url: 'javascript:alert(1)' },
    { type: 'openLink', url: 'file:///etc/passwd' },
    { type: 'edit', object: 'tickets', index: 0, source: 'subject', target: { kind: 'script' }, transform: {} },
    { type: 'preview', object: 'tickets', count: 10_000 },
    { type: 'writeFile', path: '/tmp/x' },
    '<img src=x onerror=alert(1)>',
    null,
  ]) {
    assert.equal(WebviewMessage.safeParse(bad).success, false, JSON.stringify(bad));
  }
  assert.equal(HostMessage.safeParse({ type: 'notice', level: 'loud', message: 'x' }).success, false);
});

test('the webview HTML: CSP by nonce, no inline or eval, no source data in the page', () => {
  const html = webviewHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://x/webview.js',
    styleUri: 'https://x/editor.css',
    title: 'Field map',
    nonce: 'abc123',
  });
  const csp =
    /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;|&apos;/g, "'") ??
    '';
  assert.equal(csp, contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123'));
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'nonce-abc123'"]);
  assert.deepEqual(
    directives.get('style-src'),
    ['https://file+.vscode-resource.vscode-cdn.net', "'nonce-abc123'"],
    "styles: the stylesheet, and Lit's <style> elements by the page's nonce",
  );
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.equal(scripts.length, 1);
  assert.match(scripts[0] ?? '', /nonce="abc123"/);
  assert.doesNotMatch(html, /\sstyle=|\son\w+=/i, 'no inline style or handler attributes');
  const a = webviewHtml({ cspSource: 'x', scriptUri: 'y', styleUri: 'z', title: 't' });
  const b = webviewHtml({ cspSource: 'x', scriptUri: 'y', styleUri: 'z', title: 't' });
  assert.notEqual(/nonce="([^"]+)"/.exec(a)?.[1], /nonce="([^"]+)"/.exec(b)?.[1], 'a fresh nonce per page');
});
