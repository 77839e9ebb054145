import { parseArgs } from 'node:util';

import { messageOf } from '../model/error-message';
import { SAMPLE_TICKETS } from '../model/run-defaults';
import { UsageError } from './exit-codes';

/**
 * Every flag the CLI knows, declared once: parsing, `st2ic <verb> --help` and the README's command
 * block (checked by test/unit/cli-flags.test.ts) all read these, so they cannot drift apart.
 */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** Placeholder of a string flag's value in usage lines ("<dir>", "N"). */
  readonly value?: string;
  readonly description: string;
  /** What happens without the flag, as shown by --help. */
  readonly default: string;
}

export const FLAGS = {
  source: {
    type: 'string',
    value: '<source>',
    description:
      'the SmarterTrack source: sqlite:<file>, mssql://<user>@<host>:<port>/<database> or https://<user>@<site>',
    default: 'required',
  },
  workspace: {
    type: 'string',
    value: '<dir>',
    description: 'the folder that holds migration/',
    default: 'the current folder',
  },
  attachments: {
    type: 'string',
    value: '<dir>',
    description: "SmarterTrack's App_Data folder with the attachment files",
    default: 'none: attachment files are reported missing',
  },
  prefix: {
    type: 'string',
    value: '<table prefix>',
    description: 'prefix of the SmarterTrack tables',
    default: 'discovered (st_)',
  },
  region: {
    type: 'string',
    value: 'us|eu|au',
    description: 'the Intercom region to write to',
    default: "the folder's migration/target.json; one of --region or --intercom-url is required before the first run",
  },
  'intercom-url': {
    type: 'string',
    value: '<url>',
    description: 'the Intercom API base URL, http(s)://… (the local sandbox, a proxy)',
    default: "the folder's migration/target.json",
  },
  'dry-run': {
    type: 'boolean',
    description: 'read, map and validate everything, write nothing to Intercom',
    default: 'off',
  },
  concurrency: {
    type: 'string',
    value: 'N',
    description: 'records and requests in flight at once, per access token',
    default: '32',
  },
  'workspace-ceiling': {
    type: 'string',
    value: '<per minute>',
    description: "the Intercom workspace's request ceiling across all its apps, shared by the tokens in INTERCOM_TOKEN",
    default: '25000',
  },
  'search-settle': {
    type: 'string',
    value: '<seconds>',
    description:
      "at most how long a create of unknown outcome is looked for through Intercom's search before it counts as not applied (sooner once search shows what the run created after it); it must outlast the search's lag",
    default: '300',
  },
  adopt: {
    type: 'boolean',
    description:
      'this folder has no ledger of what Intercom already holds of this source: record it from Intercom first',
    default: 'off: refused when Intercom already holds this source',
  },
  'take-over': {
    type: 'boolean',
    description:
      "the writer holding this folder's lock is on another host and known to be gone: take its lock and resume its run",
    default: 'off',
  },
  yes: {
    type: 'boolean',
    description: 'confirm without a prompt',
    default: 'off: asks in a terminal, refused otherwise',
  },
  json: { type: 'boolean', description: 'print a JSON summary on stdout (progress stays on stderr)', default: 'off' },
  size: { type: 'string', value: 'N', description: 'tickets in the sample', default: String(SAMPLE_TICKETS) },
  sample: {
    type: 'string',
    value: 'N',
    description:
      'for a quick look: up to N migrated records of each type read back from Intercom and compared with the source',
    default: 'every record',
  },
  all: {
    type: 'boolean',
    description: 'read back every migrated record (the default; kept for scripts)',
    default: 'on',
  },
  force: {
    type: 'boolean',
    description: 'replace an existing mapping.json (its edits and review stamps are lost)',
    default: 'off: refused when mapping.json exists',
  },
  ai: {
    type: 'boolean',
    description: 'refine the proposals with an OpenAI-compatible model (OPENAI_API_KEY)',
    default: 'off, or migration/config.json ai.enabled',
  },
  'ai-model': { type: 'string', value: '<model>', description: 'the model, with --ai', default: 'gpt-4o-mini' },
  'ai-base-url': {
    type: 'string',
    value: '<url>',
    description: 'an OpenAI-compatible endpoint (Azure OpenAI, a local server), with --ai',
    default: "the provider's",
  },
  reviewer: {
    type: 'string',
    value: '<name>',
    description: 'who confirms the map (stamped in mapping.json)',
    default: 'required',
  },
  to: {
    type: 'string',
    value: '<ticket type|conversation>',
    description:
      "where the department's tickets land: a ticket type of the map (ticketDestinations.ticketTypes), or conversation",
    default: 'required',
  },
  approve: {
    type: 'boolean',
    description: 'stamp the map approved (full and delta runs) instead of reviewed (samples)',
    default: 'off: reviewed',
  },
  'from-intercom': {
    type: 'boolean',
    description: 'rebuild from what Intercom holds (the only source of a rebuild)',
    default: 'required',
  },
  port: { type: 'string', value: '<port>', description: 'port on 127.0.0.1', default: 'a free port' },
  state: {
    type: 'string',
    value: '<file>',
    description: 'keep the state in this JSON file (and <file>.wal) across restarts',
    default: 'in memory',
  },
  'compact-after': {
    type: 'string',
    value: '<bytes>',
    description: 'with --state: compact the write-ahead log at this size',
    default: '16 MiB',
  },
  seed: {
    type: 'string',
    value: '<file>',
    description:
      'JSON seed of what the API cannot create: workspace, admins, teams, help centers (src/sandbox/README.md)',
    default: 'the built-in seed',
  },
  'rate-limit': { type: 'string', value: 'N', description: 'requests allowed per 10-second window', default: '1667' },
  faults: {
    type: 'string',
    value: '<spec>',
    description: "failures to inject, e.g. '500:0.02,drop:0.01,seed=7' or script:<file>",
    default: 'none',
  },
  'search-lag': {
    type: 'string',
    value: '<ms>',
    description: 'how long new contacts and conversations stay invisible to search (0: at once)',
    default: '3000',
  },
  'archive-lag': {
    type: 'string',
    value: '<ms>',
    description: 'how long an accepted company delete takes to archive the company (0: at once)',
    default: '2000',
  },
  token: {
    type: 'string',
    value: '<token>',
    description: 'the bearer token the sandbox accepts',
    default: 'sandbox-token',
  },
  tokens: {
    type: 'string',
    value: '<token,…>',
    description:
      "the access tokens of the sandbox workspace's apps, comma-separated, each an app with its own rate-limit window (--token, when given, is the first)",
    default: 'the --token alone: one app',
  },
  'foreign-tokens': {
    type: 'string',
    value: '<token,…>',
    description:
      'tokens of another workspace: GET /me names it, every other request gets 401 (to rehearse a wrong token)',
    default: 'none',
  },
  'app-limit': {
    type: 'string',
    value: 'N',
    description: 'requests allowed per app (token) per 10-second window (same as --rate-limit)',
    default: '1667',
  },
  'workspace-limit': {
    type: 'string',
    value: 'N',
    description: "requests allowed per 10-second window across all the workspace's apps",
    default: '4167 (25,000 a minute)',
  },
  openapi: {
    type: 'string',
    value: '<file>',
    description:
      "validate every request against Intercom's OpenAPI 2.16 description (and log where answers depart from its response schemas)",
    default: 'INTERCOM_OPENAPI, else no validation',
  },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

/** One verb (or verb and sub-verb): the flags it takes, and its positional arguments. */
export interface VerbSpec<F extends FlagName = FlagName> {
  /** As typed: "migrate", "map propose". */
  readonly verb: string;
  readonly summary: string;
  /** Positional arguments as shown in usage, e.g. "<run-id>" or "[<run-id>]". */
  readonly positionals?: string;
  readonly flags: readonly F[];
  /** Flags without which the verb refuses at once. */
  readonly required?: readonly F[];
  /** Verbs that talk to Intercom show the target group instead of --region and --intercom-url. */
  readonly target?: 'required' | 'optional';
}

/** Flags every verb takes, handled by main before the verb runs. */
const GLOBAL_FLAGS = {
  debug: { type: 'boolean', description: 'print the stack of an unexpected error', default: 'off' },
  help: { type: 'boolean', description: 'describe the verb and its flags', default: 'off' },
} as const satisfies Record<string, FlagSpec>;

const TARGET_FLAGS: readonly FlagName[] = ['region', 'intercom-url'];

function flagUsage(name: FlagName): string {
  const spec: FlagSpec = FLAGS[name];
  return spec.type === 'string' ? `--${name} ${spec.value}` : `--${name}`;
}

/** The one-line synopsis of a verb, as in the README's command block. */
export function synopsis(spec: VerbSpec): string {
  const parts = [`st2ic ${spec.verb}`];
  if (spec.positionals) parts.push(spec.positionals);
  const required = new Set<FlagName>(spec.required ?? []);
  for (const f of spec.flags) if (required.has(f)) parts.push(flagUsage(f));
  if (spec.target === 'required') parts.push('<target>');
  if (spec.target === 'optional') parts.push('[<target>]');
  for (const f of spec.flags) if (!required.has(f) && !TARGET_FLAGS.includes(f)) parts.push(`[${flagUsage(f)}]`);
  return parts.join(' ');
}

/** `st2ic <verb> --help`: the synopsis, then every flag with what it does and its default. */
export function verbHelp(spec: VerbSpec): string {
  const rows: [string, FlagSpec][] = spec.flags.map((f) => [flagUsage(f), FLAGS[f]]);
  rows.push(...Object.entries(GLOBAL_FLAGS).map(([name, s]): [string, FlagSpec] => [`--${name}`, s]));
  const width = Math.max(...rows.map(([u]) => u.length));
  const lines = [spec.summary, '', `Usage: ${synopsis(spec)}`];
  if (spec.target)
    lines.push(
      '',
      '<target>: --region us|eu|au or --intercom-url <url>; without either, the Intercom workspace recorded in migration/target.json by the first run.',
    );
  lines.push('', 'Options:');
  for (const [usage, s] of rows)
    lines.push(
      `  ${usage.padEnd(width)}  ${s.description} (${s.default === 'required' ? 'required' : `default: ${s.default}`})`,
    );
  return lines.join('\n') + '\n';
}

/** The flag names an argv mentions (`--x`, `--x=…`), ignoring values and everything after `--`. */
function mentionedFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    if (arg.startsWith('--')) out.push(arg.slice(2).split('=')[0]!);
    else if (/^-[a-zA-Z]/.test(arg)) out.push(arg.slice(1));
  }
  return out;
}

export type ParsedValues<F extends FlagName> = {
  [K in F]?: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};

/**
 * Parses a verb's arguments against its own flags only. A flag of another verb, or none, is refused
 * with the list of what this verb takes, so `migrate --size 5` never runs a full migration.
 */
export function parseVerb<F extends FlagName>(
  spec: VerbSpec<F>,
  argv: readonly string[],
): { values: ParsedValues<F>; positionals: string[] } {
  const known = new Set<string>(spec.flags);
  const unknown = mentionedFlags(argv).filter((f) => !known.has(f));
  if (unknown.length > 0) {
    throw new UsageError(
      `${spec.verb} does not take ${unknown.map((f) => (f.length === 1 ? `-${f}` : `--${f}`)).join(', ')}. It takes: ${spec.flags.map((f) => `--${f}`).join(', ')} (st2ic ${spec.verb} --help describes them)`,
    );
  }
  const options = Object.fromEntries(spec.flags.map((f) => [f, { type: FLAGS[f].type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: spec.positionals !== undefined });
  } catch (error) {
    throw new UsageError(`${messageOf(error).split('\n')[0]} (usage: ${synopsis(spec)})`);
  }
  const values = parsed.values as ParsedValues<F>;
  for (const f of spec.required ?? []) {
    if (values[f] === undefined) throw new UsageError(`--${f} is required (usage: ${synopsis(spec)})`);
  }
  return { values, positionals: parsed.positionals };
}
