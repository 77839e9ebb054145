import assert from 'node:assert/strict';
import { test } from 'node:test';

import { teamChoices } from '../../webview/team-choices';

const teams = [
  { id: '5002', name: 'Technical' },
  { id: '5001', name: 'Support' },
];

test("the Teams value map offers the workspace's teams, and names a value no team has as missing", () => {
  assert.deepEqual(teamChoices(teams, 'support'), {
    choices: [
      { value: 'Support', label: 'Support' },
      { value: 'Technical', label: 'Technical' },
    ],
    selected: 'Support',
    missing: false,
  });
  assert.deepEqual(
    [teamChoices(teams, '5002').missing, teamChoices(teams, '5002').selected],
    [false, 'Technical'],
    'a team id is a team',
  );
  const typo = teamChoices(teams, 'Suport');
  assert.equal(typo.missing, true);
  assert.deepEqual(
    typo.choices[0],
    { value: 'Suport', label: 'Suport (no such team in Intercom)' },
    'kept, so the entry shows what it holds',
  );
  assert.deepEqual(teamChoices(teams, '').choices[0], { value: '', label: 'Choose a team…' });
  assert.equal(teamChoices(teams, '').missing, false);
});
