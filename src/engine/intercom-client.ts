import { IntercomClient, type Region } from '../intercom';
import { DEFAULT_RUN_OPTIONS } from './run-migration';

/** Which Intercom to talk to, as an adapter knows it (the token from SecretStorage or INTERCOM_TOKEN). */
export interface IntercomTarget {
  /** One access token, or several apps of the same workspace used together. */
  token: string | readonly string[];
  /** The region's API host (US when neither a region nor a URL is given). */
  region?: Region;
  /** The local sandbox or another Intercom-compatible URL instead of the region's API host. */
  baseUrl?: string;
}

/** One stored or exported value holding one token or several apps' tokens, comma-separated. */
export function splitTokens(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(',').map((t) => t.trim()).filter((t) => t !== ''))];
}

/**
 * The one way the adapters build their Intercom client, so the editor and the command line run with
 * the same settings. Each record in flight holds at most one request at a time, so each token gets
 * as many request slots as the run keeps records in flight per token (runMigration multiplies by the
 * tokens): fewer slots leave records waiting (the editor ran at 10 against the CLI's 32), more would
 * never be used.
 */
export function intercomClientFor(target: IntercomTarget, recordsInFlight: number = DEFAULT_RUN_OPTIONS.concurrency, options: { workspaceLimitPerMinute?: number } = {}): IntercomClient {
  return new IntercomClient({
    token: target.token,
    ...(options.workspaceLimitPerMinute !== undefined ? { workspaceLimitPerMinute: options.workspaceLimitPerMinute } : {}),
    ...(target.region ? { region: target.region } : {}),
    ...(target.baseUrl ? { baseUrl: target.baseUrl } : {}),
    rateLimiter: { concurrency: recordsInFlight },
  });
}
