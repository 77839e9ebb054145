/**
 * A full migration driven the way the extension drives the engine (npm run bench: extensionPath):
 * migration/config.json made from the extension's own setting defaults (package.json), the client,
 * reader and options from src/extension/run-inputs.ts, runMigration in this process. Only the VS Code
 * surfaces (notification, status bar, log channel) are absent. Prints the CLI's --json summary line.
 *
 *   INTERCOM_TOKEN=… npx tsx scripts/bench/extension-run.ts <workspace> <smartertrack.db> <App_Data> <intercom-url>
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ProgressCounter } from '../../src/engine/progress';
import { runMigration } from '../../src/engine/run-migration';
import { intercomClientOf, runOptionsOf, sourceReaderOf } from '../../src/extension/run-inputs';
import { configFromSettings } from '../../src/extension/settings';
import { systemClock } from '../../src/model/clock';
import { migrationConfigSchema } from '../../src/model/migration-config';

async function main(): Promise<void> {
  const [workspace, database, appData, url] = process.argv.slice(2);
  const token = process.env.INTERCOM_TOKEN;
  if (!workspace || !database || !appData || !url || !token)
    throw new Error('usage: INTERCOM_TOKEN=… extension-run.ts <workspace> <db> <App_Data> <url>');
  // A fresh user's settings: the defaults the extension contributes.
  const properties = (
    JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
    }
  ).contributes.configuration.properties;
  const fromSettings = configFromSettings({
    get: <T>(section: string) => properties[`st2ic.${section}`]?.default as T | undefined,
  });
  const config = migrationConfigSchema.parse({
    ...fromSettings,
    source: { kind: 'sqlite', file: database, attachments: appData },
    intercom: { ...fromSettings.intercom, baseUrl: url },
  });
  const client = intercomClientOf(config, token);
  const reader = await sourceReaderOf(config, workspace);
  try {
    const result = await runMigration({
      workspaceDir: workspace,
      kind: 'full',
      reader,
      client,
      progress: new ProgressCounter(),
      clock: systemClock,
      options: runOptionsOf(config),
    });
    const stats = client.stats();
    process.stdout.write(`${JSON.stringify({ ...result, requests: stats.completed, throttled: stats.throttled })}\n`);
  } finally {
    await reader.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
