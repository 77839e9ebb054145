import type { FlagName, VerbSpec } from './flags';

/**
 * What each verb takes, in the order of the README's command block. Commands parse with these,
 * `--help` prints them and a test compares the README with them.
 */
const RUN_FLAGS = [
  'source',
  'attachments',
  'workspace',
  'region',
  'intercom-url',
  'dry-run',
  'concurrency',
  'workspace-ceiling',
  'search-settle',
  'adopt',
  'take-over',
  'json',
] as const satisfies readonly FlagName[];

export const VERBS = {
  scope: {
    verb: 'scope',
    summary:
      'Count what a SmarterTrack source holds, flag problems, estimate Intercom calls; writes migration/reports/scope.{md,json}',
    flags: ['source', 'attachments', 'workspace', 'prefix', 'json'],
    required: ['source'],
  },
  mapPropose: {
    verb: 'map propose',
    summary:
      "Propose the field map (migration/mapping.json); with --ai, a model refines it (the target, when known, lists the workspace's attributes)",
    flags: ['source', 'workspace', 'force', 'ai', 'ai-model', 'ai-base-url', 'region', 'intercom-url', 'json'],
    required: ['source'],
    target: 'optional',
  },
  mapConfirm: {
    verb: 'map confirm',
    summary: 'Confirm the field map as reviewed (allows a sample) or approved (allows full and delta runs)',
    flags: ['reviewer', 'approve', 'workspace', 'yes', 'json'],
    required: ['reviewer'],
  },
  mapTickets: {
    verb: 'map tickets',
    summary:
      "Send a department's tickets (or the default) to an Intercom ticket type of the map, or back to conversations",
    flags: ['to', 'workspace', 'json'],
    required: ['to'],
    positionals: '<department-id|default>',
  },
  configure: {
    verb: 'configure',
    summary:
      'Prepare the Intercom workspace: show the plan (admins, teams, attributes), then create the attributes the map needs',
    flags: ['source', 'workspace', 'region', 'intercom-url', 'yes', 'adopt', 'take-over', 'json'],
    required: ['source'],
    target: 'required',
  },
  sample: {
    verb: 'sample',
    summary: 'Migrate a sample of tickets (and the contacts and companies they need), tagged with the run tag',
    flags: [...RUN_FLAGS, 'size'],
    required: ['source'],
    target: 'required',
  },
  migrate: {
    verb: 'migrate',
    summary:
      'Migrate everything: companies and contacts, then conversations, then the help center (resumes an interrupted run)',
    flags: RUN_FLAGS,
    required: ['source'],
    target: 'required',
  },
  delta: {
    verb: 'delta',
    summary: 'Migrate what changed since the last run: new records, new messages, state changes',
    flags: RUN_FLAGS,
    required: ['source'],
    target: 'required',
  },
  rollback: {
    verb: 'rollback',
    summary:
      'Undo a run from its ledger, newest write first (companies and attributes can only be archived); resumable',
    positionals: '<run-id>',
    flags: ['workspace', 'region', 'intercom-url', 'concurrency', 'yes', 'take-over', 'json'],
    target: 'required',
  },
  validate: {
    verb: 'validate',
    summary:
      'Reconcile a run with the source and read migrated records back from Intercom; writes migration/reports/reconciliation-*.{md,json,csv}',
    positionals: '[<run-id>]',
    flags: ['source', 'attachments', 'workspace', 'region', 'intercom-url', 'sample', 'all', 'json'],
    required: ['source'],
    target: 'required',
  },
  inventory: {
    verb: 'inventory',
    summary:
      'Write the rebuild inventory (automation, SLA and auto-close, assignment, call logs…) to migration/reports/rebuild-inventory.{md,json}',
    positionals: '[<run-id>]',
    flags: ['source', 'attachments', 'workspace', 'json'],
    required: ['source'],
  },
  ledgerRebuild: {
    verb: 'ledger rebuild',
    summary:
      'Rebuild the ledger from Intercom: record what Intercom already holds of this source (writes nothing to Intercom)',
    flags: ['from-intercom', 'source', 'attachments', 'workspace', 'region', 'intercom-url', 'json'],
    required: ['from-intercom', 'source'],
    target: 'required',
  },
  sandbox: {
    verb: 'sandbox',
    summary: 'Run a local Intercom-compatible API server for rehearsals, tests and demos',
    flags: [
      'port',
      'state',
      'compact-after',
      'seed',
      'rate-limit',
      'app-limit',
      'workspace-limit',
      'faults',
      'search-lag',
      'archive-lag',
      'token',
      'tokens',
      'foreign-tokens',
      'openapi',
    ],
  },
} as const satisfies Record<string, VerbSpec>;
