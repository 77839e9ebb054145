import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';

import { fetchWorkspaceAttributes, proposeMap, proposeMapWithAi } from '../../engine/propose-map';
import { type AiSettings, resolveAiAccess } from '../../mapping/ai-proposer';
import type { WorkspaceAttribute } from '../../mapping/ai-schema';
import { setTicketDestination, StaleEditError } from '../../mapping/map-edits';
import { mappingPath, readMappingFile, writeMappingFile } from '../../mapping/mapping-file';
import { confirmMap, contentHash, effectiveStatus } from '../../mapping/review';
import { ticketDestinationProblems } from '../../mapping/ticket-destinations';
import type { Clock } from '../../model/clock';
import { messageOf } from '../../model/error-message';
import type { MappingFile } from '../../model/mapping';
import { aiConfigSchema, type MigrationConfig, parseMigrationConfig } from '../../model/migration-config';
import { migrationPaths } from '../../model/workspace-paths';
import { zodIssues } from '../../model/zod-issues';
import type { CliCommand, CliEnvironment } from '../command';
import { clientFor, readerFrom, workspaceOf } from '../common';
import { ExitCode, UsageError } from '../exit-codes';
import { type ParsedValues, parseVerb, synopsis } from '../flags';
import { resolveTarget } from '../target';
import { VERBS } from '../verbs';

type ProposeValues = ParsedValues<(typeof VERBS.mapPropose.flags)[number]>;

/** `map propose` writes the default map with heuristic proposals; `map confirm` stamps it reviewed or approved; `map tickets` picks where a department's tickets land. */
export const mapCommand: CliCommand = {
  name: 'map',
  summary:
    "Propose the field map (migration/mapping.json), send a department's tickets to a ticket type, or confirm the map as reviewed / approved",
  specs: [VERBS.mapPropose, VERBS.mapConfirm, VERBS.mapTickets],
  async run(argv, env) {
    const [sub, ...rest] = argv;
    if (sub === 'propose') return propose(rest, env);
    if (sub === 'confirm') return confirm(rest, env.clock);
    if (sub === 'tickets') return sendTickets(rest);
    throw new UsageError(`map needs "propose", "confirm" or "tickets" (st2ic map --help describes them)`);
  },
};

async function propose(argv: string[], env: CliEnvironment): Promise<ExitCode> {
  const { values } = parseVerb(VERBS.mapPropose, argv);
  const workspace = workspaceOf(values);
  if (existsSync(mappingPath(workspace)) && !values.force) {
    throw new UsageError(
      `${mappingPath(workspace)} exists; --force replaces it (your edits and its review stamps are lost)`,
    );
  }
  const ai = aiSettingsFrom(values, readConfig(workspace, values.ai === true));
  const reader = await readerFrom(values);
  try {
    if (!ai) {
      const map = await proposeMap(reader);
      const file = await writeMappingFile(workspace, map);
      const fields = Object.values(map.objects).reduce((n, o) => n + o.fields.length, 0);
      const low = Object.values(map.objects)
        .flatMap((o) => o.fields)
        .filter((f) => (f.proposal?.confidence ?? 1) < 0.6).length;
      if (values.json)
        process.stdout.write(`${JSON.stringify({ file, fields, lowConfidence: low, status: map.review.status })}\n`);
      else
        process.stdout.write(
          `Wrote ${file}: ${fields} field mappings, ${low} with low confidence. Review it, then: st2ic map confirm --reviewer <name>\n`,
        );
      return ExitCode.Done;
    }
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const access = resolveAiAccess(ai);
    if (!access.use) say(`AI proposer not used: ${access.reason}.`);
    const attributes = access.use ? await workspaceAttributes(values, workspace, env, say) : [];
    const result = await proposeMapWithAi(reader, {
      settings: access.use ? ai : { ...ai, enabled: false },
      attributes,
      log: say,
    });
    const map = result.map;
    const file = await writeMappingFile(workspace, map);
    const fields = Object.values(map.objects).reduce((n, o) => n + o.fields.length, 0);
    const low = Object.values(map.objects)
      .flatMap((o) => o.fields)
      .filter((f) => (f.proposal?.confidence ?? 1) < 0.6).length;
    const applied = result.proposals.filter((p) => p.status === 'applied').length;
    const summary = {
      used: result.usedAi,
      applied,
      dropped: result.proposals.filter((p) => p.status === 'dropped').length,
      warnings: result.warnings,
    };
    if (values.json)
      process.stdout.write(
        `${JSON.stringify({ file, fields, lowConfidence: low, status: map.review.status, ai: summary })}\n`,
      );
    else {
      process.stdout.write(
        `Wrote ${file}: ${fields} field mappings, ${low} with low confidence; ${result.usedAi ? `${applied} proposed by AI (${ai.model})` : 'heuristic proposals only'}. Review it, then: st2ic map confirm --reviewer <name>\n`,
      );
    }
  } finally {
    await reader.close();
  }
  return ExitCode.Done;
}

/** migration/config.json when present; a broken one only matters when --ai asks for its settings. */
function readConfig(workspace: string, needed: boolean): MigrationConfig | undefined {
  const file = migrationPaths(workspace).config;
  if (!existsSync(file)) return undefined;
  try {
    return parseMigrationConfig(readFileSync(file, 'utf8'));
  } catch (error) {
    if (needed) throw new UsageError(messageOf(error));
    return undefined;
  }
}

/** AI settings when --ai is given or migration/config.json enables it; flags override the file. Undefined: no AI asked for. */
function aiSettingsFrom(values: ProposeValues, config: MigrationConfig | undefined): AiSettings | undefined {
  if (!values.ai && !config?.ai.enabled) {
    if (values['ai-model'] || values['ai-base-url'])
      throw new UsageError(`--ai-model and --ai-base-url need --ai (usage: ${synopsis(VERBS.mapPropose)})`);
    return undefined;
  }
  const parsed = aiConfigSchema.safeParse({
    ...(config?.ai ?? {}),
    enabled: true,
    ...(values['ai-model'] ? { model: values['ai-model'] } : {}),
    ...(values['ai-base-url'] ? { baseUrl: values['ai-base-url'] } : {}),
  });
  if (!parsed.success) throw new UsageError(`AI settings are not valid: ${zodIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * Existing attributes help the AI reuse them. Only from an explicit target (a flag or the folder's
 * target.json) and INTERCOM_TOKEN; without them it proposes new attributes only.
 */
async function workspaceAttributes(
  values: ProposeValues,
  workspace: string,
  env: CliEnvironment,
  say: (line: string) => void,
): Promise<WorkspaceAttribute[]> {
  if (!process.env.INTERCOM_TOKEN) {
    say(
      "AI proposer: INTERCOM_TOKEN is not set, so the workspace's existing attributes are not listed; new attributes only.",
    );
    return [];
  }
  let target;
  try {
    target = await resolveTarget(values, workspace);
  } catch (error) {
    if (values.region !== undefined || values['intercom-url'] !== undefined) throw error;
    say(
      "AI proposer: no Intercom target (--region, --intercom-url or migration/target.json), so the workspace's existing attributes are not listed; new attributes only.",
    );
    return [];
  }
  env.context.target = target;
  try {
    return await fetchWorkspaceAttributes(clientFor(target));
  } catch (error) {
    say(`AI proposer: could not list the workspace's attributes (${messageOf(error)}); new attributes only.`);
    return [];
  }
}

/**
 * `map tickets <department> --to <ticket type|conversation>`: the mapping editor's Tickets choice from
 * a terminal. The map changes, so its confirmation lapses (the content hash) until confirmed again.
 */
async function sendTickets(argv: string[]): Promise<ExitCode> {
  const { values, positionals } = parseVerb(VERBS.mapTickets, argv);
  const [department] = positionals;
  if (!department || positionals.length > 1 || !(department === 'default' || /^\d+$/.test(department)))
    throw new UsageError(`map tickets takes one department id or "default" (usage: ${synopsis(VERBS.mapTickets)})`);
  const workspace = workspaceOf(values);
  const to = values.to?.trim() ?? '';
  const destination = to.toLowerCase() === 'conversation' ? ('conversation' as const) : { ticketType: to };
  let map: MappingFile;
  try {
    map = setTicketDestination(await readMappingFile(workspace), department, destination);
  } catch (error) {
    if (error instanceof StaleEditError) throw new UsageError(`map tickets: ${error.message}`);
    throw error;
  }
  await writeMappingFile(workspace, map);
  const problems = ticketDestinationProblems(map);
  for (const problem of problems) process.stderr.write(`  ! ${problem}\n`);
  const where =
    department === 'default' ? 'Tickets of departments without a choice' : `Department ${department}'s tickets`;
  const what = destination === 'conversation' ? 'conversations' : `Intercom tickets of type "${to}"`;
  if (values.json)
    process.stdout.write(`${JSON.stringify({ department, destination, problems, status: effectiveStatus(map) })}\n`);
  else
    process.stdout.write(
      `${where} land as ${what}. mapping.json is ${effectiveStatus(map)}: confirm it again (st2ic map confirm).\n`,
    );
  return ExitCode.Done;
}

async function confirm(argv: string[], clock: Clock): Promise<ExitCode> {
  const { values } = parseVerb(VERBS.mapConfirm, argv);
  const workspace = workspaceOf(values);
  if (!values.reviewer?.trim())
    throw new UsageError(
      `--reviewer <name> is required: the map records who confirmed it (usage: ${synopsis(VERBS.mapConfirm)})`,
    );
  const map = await readMappingFile(workspace);
  const level = values.approve ? 'approved' : 'reviewed';
  const hash = contentHash(map);
  // Said before the question: configure refuses these, so the reviewer may want to fix them first.
  for (const problem of ticketDestinationProblems(map)) process.stderr.write(`  ! ${problem}\n`);
  if (!values.yes) {
    if (!process.stdin.isTTY)
      throw new UsageError(
        'confirming the map needs a person: run it in a terminal, or pass --yes to confirm non-interactively',
      );
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      `Mark ${mappingPath(workspace)} (${hash.slice(0, 12)}) ${level} as "${values.reviewer}"? Type yes: `,
    );
    rl.close();
    if (answer.trim().toLowerCase() !== 'yes') {
      process.stderr.write('Not confirmed.\n');
      return ExitCode.Failed;
    }
  }
  const confirmed = confirmMap(map, level, values.reviewer, clock);
  await writeMappingFile(workspace, confirmed);
  const status = effectiveStatus(confirmed);
  // The stamp covers the whole map; a field's own `reviewed` flag says whether a person accepted that
  // field one by one (the editor's Accept), which confirming does not claim. Say so, as the editor does.
  const fields = Object.values(confirmed.objects).flatMap((o) => (o.enabled ? o.fields : []));
  const notAccepted = fields.filter((f) => !f.reviewed).length;
  if (values.json)
    process.stdout.write(
      `${JSON.stringify({ status, by: values.reviewer, hash, fieldMappings: fields.length, notAcceptedOneByOne: notAccepted })}\n`,
    );
  else {
    process.stdout.write(
      `mapping.json is ${status} by ${values.reviewer} (content ${hash.slice(0, 12)}): the whole map, ${fields.length} field mappings.\n`,
    );
    if (notAccepted > 0)
      process.stdout.write(
        `${notAccepted} of them not accepted one by one: their "reviewed" stays false (the editor's Accept sets it); the stamp, not the flag, allows the runs.\n`,
      );
  }
  return ExitCode.Done;
}
