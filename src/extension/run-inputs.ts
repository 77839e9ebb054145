import type { RunOptions } from '../engine/context';
import { intercomClientFor, runOptionsFor, type RunSettings, splitTokens } from '../engine/intercom-client';
import type { IntercomClient, Region } from '../intercom';
import type { MigrationConfig } from '../model/migration-config';
import { openSource, parseSourceUrl, type SourceReader } from '../source';
import { attachmentsRootOf, sourceUrlOf } from './source-location';

// How the extension turns migration/config.json and its secrets into the engine's inputs. Kept free of
// `vscode` so the benchmark drives the engine exactly as the editor does (npm run bench: extensionPath).

/** The run settings migration/config.json holds, in the engine's terms (the CLI reads the same from flags). */
export function runSettingsOf(config: MigrationConfig): RunSettings {
  return {
    recordsInFlight: config.run.concurrency,
    sampleSize: config.run.sampleSize,
    ...(config.run.workspaceCeiling !== undefined ? { workspaceCeilingPerMinute: config.run.workspaceCeiling } : {}),
  };
}

export function intercomClientOf(config: MigrationConfig, storedToken: string): IntercomClient {
  const target = {
    token: splitTokens(storedToken),
    region: config.intercom.region.toUpperCase() as Region,
    ...(config.intercom.baseUrl ? { baseUrl: config.intercom.baseUrl } : {}),
  };
  return intercomClientFor(target, runSettingsOf(config));
}

export function runOptionsOf(config: MigrationConfig): Partial<RunOptions> {
  return runOptionsFor(runSettingsOf(config));
}

/** The source reader for a folder (`base`); the password goes as an option, never into a URL or the environment. */
export function sourceReaderOf(
  config: MigrationConfig,
  base: string,
  options: { password?: string; onNotice?: (message: string) => void } = {},
): Promise<SourceReader> {
  if (!config.source) throw new Error('No SmarterTrack source is connected: run "Connect SmarterTrack".');
  return openSource(parseSourceUrl(sourceUrlOf(config.source, base)), {
    attachmentsRoot: attachmentsRootOf(config.source, base),
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    ...(options.password ? { password: options.password, env: {} } : {}),
  });
}
