import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { proposeMap } from '../../engine/propose-map';
import { mappingPath, readMappingFile, writeMappingFile } from '../../mapping/mapping-file';
import { confirmMap, contentHash, effectiveStatus } from '../../mapping/review';
import type { CliCommand } from '../command';
import { parseCommand, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';

const USAGE = 'st2ic map propose --source <source> [--workspace <dir>] [--force]\n       st2ic map confirm --reviewer <name> [--approve] [--workspace <dir>] [--yes]';

/** `map propose` writes the default map with heuristic proposals; `map confirm` stamps it reviewed or approved. */
export const mapCommand: CliCommand = {
  name: 'map',
  summary: 'Propose the field map (migration/mapping.json) or confirm it as reviewed / approved',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'propose') return propose(rest);
    if (sub === 'confirm') return confirm(rest);
    throw new UsageError(`map needs "propose" or "confirm".\nUsage: ${USAGE}`);
  },
};

async function propose(argv: string[]): Promise<ExitCode> {
  const { values } = parseCommand(argv, USAGE, { force: { type: 'boolean' } });
  const workspace = workspaceOf(values);
  if (existsSync(mappingPath(workspace)) && !values.force) {
    throw new UsageError(`${mappingPath(workspace)} exists; --force replaces it (your edits and its review stamps are lost)`);
  }
  const reader = await readerFrom(values, USAGE);
  try {
    const map = await proposeMap(reader);
    const file = await writeMappingFile(workspace, map);
    const fields = Object.values(map.objects).reduce((n, o) => n + o.fields.length, 0);
    const low = Object.values(map.objects).flatMap((o) => o.fields).filter((f) => (f.proposal?.confidence ?? 1) < 0.6).length;
    if (values.json) process.stdout.write(`${JSON.stringify({ file, fields, lowConfidence: low, status: map.review.status })}\n`);
    else process.stdout.write(`Wrote ${file}: ${fields} field mappings, ${low} with low confidence. Review it, then: st2ic map confirm --reviewer <name>\n`);
  } finally {
    await reader.close();
  }
  return ExitCode.Done;
}

async function confirm(argv: string[]): Promise<ExitCode> {
  const { values } = parseCommand(argv, USAGE, { reviewer: { type: 'string' }, approve: { type: 'boolean' } });
  const workspace = workspaceOf(values);
  if (!values.reviewer?.trim()) throw new UsageError(`--reviewer <name> is required: the map records who confirmed it.\nUsage: ${USAGE}`);
  const map = await readMappingFile(workspace);
  const level = values.approve ? 'approved' : 'reviewed';
  const hash = contentHash(map);
  if (!values.yes) {
    if (!process.stdin.isTTY) throw new UsageError('confirming the map needs a person: run it in a terminal, or pass --yes to confirm non-interactively');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Mark ${mappingPath(workspace)} (${hash.slice(0, 12)}) ${level} as "${values.reviewer}"? Type yes: `);
    rl.close();
    if (answer.trim().toLowerCase() !== 'yes') {
      process.stderr.write('Not confirmed.\n');
      return ExitCode.Failed;
    }
  }
  const confirmed = confirmMap(map, level, values.reviewer);
  await writeMappingFile(workspace, confirmed);
  const status = effectiveStatus(confirmed);
  if (values.json) process.stdout.write(`${JSON.stringify({ status, by: values.reviewer, hash })}\n`);
  else process.stdout.write(`mapping.json is ${status} by ${values.reviewer} (content ${hash.slice(0, 12)}).\n`);
  return ExitCode.Done;
}
