import type { CliCommand } from './command';

/** The command table: one entry per verb, loaded lazily so `st2ic --help` stays instant. */
export const commands: Record<string, () => Promise<CliCommand>> = {
  scope: () => import('./commands/scope').then((m) => m.scopeCommand),
  configure: () => import('./commands/configure').then((m) => m.configureCommand),
  map: () => import('./commands/map').then((m) => m.mapCommand),
  sample: () => import('./commands/run').then((m) => m.sampleCommand),
  migrate: () => import('./commands/run').then((m) => m.migrateCommand),
  delta: () => import('./commands/run').then((m) => m.deltaCommand),
  validate: () => import('./commands/reports').then((m) => m.validateCommand),
  inventory: () => import('./commands/reports').then((m) => m.inventoryCommand),
  rollback: () => import('./commands/rollback').then((m) => m.rollbackCommand),
  ledger: () => import('./commands/ledger').then((m) => m.ledgerCommand),
  sandbox: () => import('./commands/sandbox').then((m) => m.default),
};
