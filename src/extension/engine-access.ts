import { splitTokens } from '../engine/intercom-client';
import type { IntercomClient } from '../intercom';
import { registerSecret } from '../ledger';
import type { MigrationConfig } from '../model/migration-config';
import type { SourceReader } from '../source';
import type { Ctx } from './context';
import { intercomClientOf, sourceReaderOf } from './run-inputs';
import { attachmentsRootOf } from './source-location';

export { attachmentsRootOf };

// Builds the engine's inputs (reader, client, workspace path) from migration/config.json and
// SecretStorage. Secrets are registered with the ledger's guard so no journal entry can hold them.

/** The folder that holds migration/: the engine works on local paths. */
export function workspaceDir(ctx: Ctx): string {
  const folder = ctx.folder.workspaceFolder();
  if (!folder) throw new Error('Open a folder first: the migration folder lives inside the workspace.');
  if (folder.uri.scheme !== 'file') throw new Error(`Runs need a local folder; ${folder.uri.toString()} is not one.`);
  return folder.uri.fsPath;
}

export async function requireConfig(ctx: Ctx): Promise<MigrationConfig> {
  const config = await ctx.folder.readConfig();
  if (!config)
    throw new Error(
      'This workspace has no migration/config.json yet: run "Initialize Migration Folder" or connect a source.',
    );
  return config;
}

export async function openReader(ctx: Ctx, config: MigrationConfig): Promise<SourceReader> {
  if (!config.source) throw new Error('No SmarterTrack source is connected: run "Connect SmarterTrack".');
  let password: string | undefined;
  if (config.source.kind !== 'sqlite') {
    password = await ctx.secrets.get('smartertrackPassword');
    if (!password)
      throw new Error('The SmarterTrack password is not in secret storage: run "Connect SmarterTrack" again.');
    registerSecret(password);
  }
  // A SQLite source waits a little for another process's write to end: the wait is said in the log.
  return sourceReaderOf(config, workspaceDir(ctx), {
    onNotice: (message) => ctx.log.warn(message),
    ...(password ? { password } : {}),
  });
}

export async function openClient(ctx: Ctx, config: MigrationConfig): Promise<IntercomClient> {
  const token = await ctx.secrets.get('intercomToken');
  if (!token) throw new Error('No Intercom access token in secret storage: run "Connect Intercom".');
  for (const t of splitTokens(token)) registerSecret(t);
  return intercomClientOf(config, token);
}

export function intercomTarget(config: MigrationConfig | undefined): string {
  return config?.intercom.baseUrl ?? config?.intercom.region ?? 'us';
}
