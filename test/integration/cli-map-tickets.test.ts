import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { readMappingFile } from '../../src/mapping/mapping-file';
import { effectiveStatus } from '../../src/mapping/review';
import { type Dataset, makeDataset, removeDir, runCli, tempDir } from '../support/engine-fixtures';

// Issue 20: the editor's Tickets choice from a terminal. `st2ic map tickets <department> --to <type>`
// sends a department's tickets to a ticket type of the map (or back), and the confirmation lapses.
let dir: string;
let ds: Dataset;
const cli = (...args: string[]) => runCli([...args, '--workspace', dir], 'unused');

before(async () => {
  dir = tempDir('cli-map-tickets');
  ds = await makeDataset(dir, 0.05, 2);
  const proposed = await cli('map', 'propose', '--source', `sqlite:${ds.dbPath}`);
  assert.equal(proposed.code, 0, proposed.stderr);
  const confirmed = await cli('map', 'confirm', '--reviewer', 'R', '--yes');
  assert.equal(confirmed.code, 0, confirmed.stderr);
});

after(() => {
  if (dir) removeDir(dir);
});

test('map tickets sends a department to its proposed ticket type and back; the map must be confirmed again', async () => {
  const before_ = await readMappingFile(dir);
  const [department] = Object.keys(before_.ticketDestinations!.departments);
  const type = before_.ticketDestinations!.ticketTypes[0]!.name;
  assert.ok(department && type);
  assert.equal(effectiveStatus(before_), 'reviewed');

  const sent = await cli('map', 'tickets', department, '--to', type);
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(
    sent.stdout,
    new RegExp(`Department ${department}'s tickets land as Intercom tickets of type "${type}"`),
  );
  assert.match(sent.stdout, /confirm it again/);
  const after_ = await readMappingFile(dir);
  assert.deepEqual(after_.ticketDestinations!.departments[department]!.destination, { ticketType: type });
  assert.equal(effectiveStatus(after_), 'draft', 'the confirmation covered another map');

  const back = await cli('map', 'tickets', department, '--to', 'conversation', '--json');
  assert.equal(back.code, 0, back.stderr);
  assert.equal((JSON.parse(back.stdout) as { destination: unknown }).destination, 'conversation');
  assert.equal((await readMappingFile(dir)).ticketDestinations!.departments[department]!.destination, 'conversation');
});

test('map tickets refuses a ticket type the map does not define, an unknown department and a missing --to, changing nothing', async () => {
  const before_ = JSON.stringify(await readMappingFile(dir));
  const [department] = Object.keys((await readMappingFile(dir)).ticketDestinations!.departments);
  for (const [args, message] of [
    [[department!, '--to', 'No Such Type'], /ticket type "No Such Type" is not in the map any more/],
    [['99999', '--to', 'conversation'], /department 99999 is not in the map's ticket destinations/],
    [['support', '--to', 'conversation'], /one department id or "default"/],
    [[department!], /--to/],
  ] as const) {
    const r = await cli('map', 'tickets', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.equal(JSON.stringify(await readMappingFile(dir)), before_);
});
