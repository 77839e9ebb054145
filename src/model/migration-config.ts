import { z } from 'zod';

import { messageOf } from './error-message';
import { RECORDS_IN_FLIGHT, SAMPLE_TICKETS } from './run-defaults';
import { CONFIG_FILE, MIGRATION_DIR } from './workspace-paths';

/**
 * migration/config.json: the non-secret settings of one migration, shared by the extension and the
 * CLI and meant to be committed. Objects are strict so that a password, token or key pasted into the
 * file is rejected instead of silently stored next to the code; secrets live in SecretStorage or
 * environment variables (see SECRET_KEYS in src/extension/secrets.ts and the CLI's environment).
 */

export const INTERCOM_REGIONS = ['us', 'eu', 'au'] as const;
export type IntercomRegion = (typeof INTERCOM_REGIONS)[number];

const sqlServerSource = z.strictObject({
  kind: z.literal('sqlserver'),
  server: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(1433),
  database: z.string().min(1),
  user: z.string().min(1),
  encrypt: z.boolean().default(true),
  trustServerCertificate: z.boolean().default(false),
});

const sqliteSource = z.strictObject({
  kind: z.literal('sqlite'),
  /** Path of the SmarterTrack SQLite database, relative to the workspace folder or absolute. */
  file: z.string().min(1),
  /** The App_Data folder holding attachment files, when it is available. */
  attachments: z.string().min(1).optional(),
});

const soapSource = z.strictObject({
  kind: z.literal('soap'),
  /** Base URL of the SmarterTrack site, e.g. https://help.example.com */
  url: z.url(),
  user: z.string().min(1),
});

export const sourceConfigSchema = z.discriminatedUnion('kind', [sqlServerSource, sqliteSource, soapSource]);
export type SourceConfig = z.infer<typeof sourceConfigSchema>;

const intercomConfigSchema = z.strictObject({
  region: z.enum(INTERCOM_REGIONS).default('us'),
  apiVersion: z.literal('2.16').default('2.16'),
  /** Overrides the regional host: a local sandbox for a rehearsal, or a proxy. */
  baseUrl: z.url().optional(),
});

export const aiConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  model: z.string().min(1).default('gpt-4o-mini'),
  /** OpenAI-compatible endpoint; empty means the provider's default. */
  baseUrl: z.union([z.url(), z.literal('')]).default(''),
  timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  /** Replace personal values (emails, names, phones, free text) by descriptions of their shape before sending. */
  redact: z.boolean().default(true),
});
export type AiConfig = z.infer<typeof aiConfigSchema>;

const runConfigSchema = z.strictObject({
  /** Records in flight per access token. */
  concurrency: z.number().int().min(1).max(64).default(RECORDS_IN_FLIGHT),
  sampleSize: z.number().int().min(1).max(10_000).default(SAMPLE_TICKETS),
  /** Intercom's ceiling for all apps of the workspace, per minute, when several tokens are used (25,000 unless set). */
  workspaceCeiling: z.number().int().min(6).optional(),
  /** Public base URL under which attachments are served to Intercom; empty means not configured. */
  attachmentBaseUrl: z.union([z.url(), z.literal('')]).default(''),
});

export const migrationConfigSchema = z.strictObject({
  version: z.literal(1),
  /** Absent until a source is connected. */
  source: sourceConfigSchema.optional(),
  intercom: intercomConfigSchema.prefault({}),
  ai: aiConfigSchema.prefault({}),
  run: runConfigSchema.prefault({}),
});
export type MigrationConfig = z.infer<typeof migrationConfigSchema>;

/** Parses file text; the error names the offending path so the user can fix the file. */
export function parseMigrationConfig(text: string): MigrationConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${MIGRATION_DIR}/${CONFIG_FILE} is not valid JSON: ${messageOf(error)}`);
  }
  const result = migrationConfigSchema.safeParse(json);
  if (!result.success) {
    throw new Error(`${MIGRATION_DIR}/${CONFIG_FILE} is invalid: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export function serializeMigrationConfig(config: MigrationConfig): string {
  return JSON.stringify(migrationConfigSchema.parse(config), null, 2) + '\n';
}
