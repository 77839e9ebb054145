import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WebviewMessage } from '../../src/model/mapping-editor-messages';
import {
  attributeOfDraft,
  chooseSource,
  draftOfAttribute,
  optionsOfText,
  sourceChoices,
} from '../../webview/attribute-draft';

const sources = [{ source: 'priorityName' }, { source: 'id' }, { source: 'custom:1', label: 'Plan' }];
const plan = {
  name: 'Plan',
  description: 'SmarterTrack custom field 1',
  dataType: 'list' as const,
  options: ['Free', 'Pro'],
  source: 'custom:1',
  label: 'Plan',
  proposal: { by: 'heuristic' as const, confidence: 0.85, reason: 'drop-down with 2 options: a list' },
};

test('an attribute form starts from the attribute, and what it sends is the attribute as edited', () => {
  const draft = draftOfAttribute('Billing', plan);
  assert.equal(draft.original, 'Plan');
  assert.equal(draft.options, 'Free, Pro', 'options are typed comma-separated');
  draft.name = ' Plan tier ';
  draft.options = 'Free, Pro , ,Team';
  const attribute = attributeOfDraft(draft);
  assert.deepEqual(attribute, {
    name: 'Plan tier',
    description: 'SmarterTrack custom field 1',
    dataType: 'list',
    options: ['Free', 'Pro', 'Team'],
    source: 'custom:1',
    label: 'Plan',
  });
  assert.ok(
    WebviewMessage.safeParse({ type: 'setTicketAttribute', ticketType: 'Billing', name: 'Plan', attribute }).success,
  );

  // Another type and source: no options, and the label follows the source (a ticket's own field has none).
  draft.dataType = 'string';
  chooseSource(draft, 'priorityName', sources);
  assert.deepEqual(attributeOfDraft(draft), {
    name: 'Plan tier',
    description: 'SmarterTrack custom field 1',
    dataType: 'string',
    options: [],
    source: 'priorityName',
  });
  assert.deepEqual(optionsOfText(' , '), []);
});

test('a new attribute starts empty; the source choices name fields in words and keep a value none of them has', () => {
  const fresh = draftOfAttribute('Billing', undefined);
  assert.deepEqual([fresh.original, fresh.name, fresh.dataType, fresh.source], [null, '', 'string', '']);
  assert.deepEqual(sourceChoices(sources, ''), [
    { value: '', label: 'Choose a source field…' },
    { value: 'priorityName', label: 'Priority name (priorityName)' },
    { value: 'id', label: 'ID (id)' },
    { value: 'custom:1', label: 'Plan (custom:1)' },
  ]);
  assert.deepEqual(sourceChoices(sources, 'custom:9').at(-1), {
    value: 'custom:9',
    label: 'custom:9 (not among the known fields)',
  });
  assert.equal(sourceChoices(sources, 'id').length, sources.length, 'a known source adds nothing');
});
