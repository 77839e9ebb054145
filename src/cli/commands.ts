import type { CliCommand } from './command';

/** The command table: one entry per verb, loaded lazily so `st2ic --help` stays instant. */
export const commands: Record<string, () => Promise<CliCommand>> = {
  scope: () => import('./commands/scope').then((m) => m.scopeCommand),
  sandbox: () => import('./commands/sandbox').then((m) => m.default),
};
