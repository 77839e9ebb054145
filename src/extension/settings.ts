import { type MigrationConfig, migrationConfigSchema } from '../model/migration-config';
import { zodIssues } from '../model/zod-issues';

/** Reads one `st2ic.*` setting; a structural subset of vscode.WorkspaceConfiguration. */
export interface SettingsReader {
  get<T>(section: string): T | undefined;
}

/**
 * The contents of a new migration/config.json, taken from the user's settings. Settings are personal
 * defaults; the migration folder is what a run (and the CLI, and a reviewer) actually uses.
 */
export function configFromSettings(settings: SettingsReader): MigrationConfig {
  const result = migrationConfigSchema.safeParse({
    version: 1,
    intercom: { region: settings.get('intercom.region'), apiVersion: settings.get('intercom.apiVersion') },
    ai: {
      enabled: settings.get('ai.enabled'),
      model: settings.get('ai.model'),
      baseUrl: settings.get('ai.baseUrl'),
      timeoutMs: settings.get('ai.timeout'),
    },
    run: {
      concurrency: settings.get('concurrency'),
      sampleSize: settings.get('sampleSize'),
      attachmentBaseUrl: settings.get('attachmentBaseUrl'),
    },
  });
  if (!result.success) {
    throw new Error(`the st2ic.* settings are not valid: ${zodIssues(result.error)}`);
  }
  return result.data;
}
