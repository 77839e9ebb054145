import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { IntercomClient, Region } from '../intercom';
import { intercomClientFor } from '../engine/intercom-client';
import { openSource, SourceCredentialsError, SourceNotSupportedError } from '../source/open-source';
import type { SourceReader } from '../source/reader';
import { SoapAuthError, SoapTransportError } from '../source/soap/errors';
import { parseSourceUrl, SourceUrlError } from '../source/source-url';
import { SchemaError } from '../source/sql/catalog';
import { SourceLoginError, SourceUnreachableError } from '../source/sql/mssql-connection';
import { SourceNotFoundError, SourceUnreadableError } from '../source/sql/sqlite-connection';
import { UsageError } from './exit-codes';

/** Options every run verb takes (README: CLI). */
export const COMMON_OPTIONS = {
  workspace: { type: 'string' },
  source: { type: 'string' },
  attachments: { type: 'string' },
  'intercom-url': { type: 'string' },
  region: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean' },
  json: { type: 'boolean' },
  concurrency: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/**
 * Options of the verbs that write to Intercom (migrate, sample, delta, configure, rollback).
 * `--take-over`: the process holding the workspace's writer lock from another host (or one this
 * system cannot check) is gone; take its lock and resume its interrupted run.
 */
export const WRITER_OPTIONS = {
  'take-over': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export type CommonValues = {
  workspace?: string;
  source?: string;
  attachments?: string;
  'intercom-url'?: string;
  region?: string;
  'dry-run'?: boolean;
  yes?: boolean;
  json?: boolean;
  concurrency?: string;
};

export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], usage: string, options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nUsage: ${usage}`);
  }
}

export function workspaceOf(values: CommonValues): string {
  return path.resolve(values.workspace ?? '.');
}

export async function readerFrom(values: CommonValues, usage: string): Promise<SourceReader> {
  if (!values.source) throw new UsageError(`--source is required.\nUsage: ${usage}`);
  const attachmentsRoot = values.attachments ? path.resolve(values.attachments) : null;
  if (attachmentsRoot && !(existsSync(attachmentsRoot) && statSync(attachmentsRoot).isDirectory())) {
    throw new UsageError(`--attachments: not a folder: ${attachmentsRoot}`);
  }
  try {
    return await openSource(parseSourceUrl(values.source), { attachmentsRoot });
  } catch (error) {
    if (isSourceInputError(error)) throw new UsageError((error as Error).message);
    throw error;
  }
}

/**
 * Source errors that are the user's to fix (address, file, login, reachability): exit code 2, no stack.
 * Their messages name the source and the user, never the password.
 */
export function isSourceInputError(error: unknown): boolean {
  return [
    SourceUrlError, SourceNotFoundError, SourceUnreadableError, SourceNotSupportedError, SchemaError, SourceLoginError, SourceUnreachableError,
    SourceCredentialsError, SoapAuthError, SoapTransportError,
  ].some((kind) => error instanceof kind);
}

/** The token comes from INTERCOM_TOKEN only: never a flag (shell history) nor a file. */
export function clientFrom(values: CommonValues): IntercomClient {
  const token = process.env.INTERCOM_TOKEN;
  if (!token) throw new UsageError('INTERCOM_TOKEN is not set: export the Intercom access token (the local sandbox prints its own)');
  const region = (values.region ?? 'us').toUpperCase();
  if (!['US', 'EU', 'AU'].includes(region)) throw new UsageError(`--region must be us, eu or au (got ${values.region})`);
  const concurrency = values.concurrency ? Number(values.concurrency) : 32;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a positive whole number (got ${values.concurrency})`);
  return intercomClientFor({ token, region: region as Region, ...(values['intercom-url'] ? { baseUrl: values['intercom-url'] } : {}) }, concurrency);
}
