import { IntercomClient, type Region } from '../intercom';
import { RECORDS_IN_FLIGHT } from '../model/run-defaults';
import type { RunOptions } from './context';

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
  return [
    ...new Set(
      (raw ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ];
}

/**
 * What a person chooses for a run, read by each adapter from its own place (the CLI's flags, the
 * extension's migration/config.json) and turned into the client and the run's options here only, so
 * the editor and the command line cannot drift apart. Unset means the shared default.
 */
export interface RunSettings {
  /** Records in flight per access token (runMigration multiplies by the tokens). */
  recordsInFlight?: number;
  /** Tickets in a sample run. */
  sampleSize?: number;
  /** The most a lookup of an interrupted create waits for Intercom's search. */
  searchSettleSeconds?: number;
  /** The workspace's ceiling across apps, per minute (several tokens). */
  workspaceCeilingPerMinute?: number;
}

/**
 * The one way the adapters build their Intercom client. Each record in flight holds at most one
 * request at a time, so each token gets as many request slots as the run keeps records in flight per
 * token: fewer slots leave records waiting (the editor ran at 10 against the CLI's 32), more would
 * never be used.
 */
export function intercomClientFor(target: IntercomTarget, settings: RunSettings = {}): IntercomClient {
  return new IntercomClient({
    token: target.token,
    ...(settings.workspaceCeilingPerMinute !== undefined
      ? { workspaceLimitPerMinute: settings.workspaceCeilingPerMinute }
      : {}),
    ...(target.region ? { region: target.region } : {}),
    ...(target.baseUrl ? { baseUrl: target.baseUrl } : {}),
    rateLimiter: { concurrency: settings.recordsInFlight ?? RECORDS_IN_FLIGHT },
  });
}

/** The run's options from the same settings the client was built from. */
export function runOptionsFor(settings: RunSettings): Partial<RunOptions> {
  return {
    ...(settings.recordsInFlight !== undefined ? { concurrency: settings.recordsInFlight } : {}),
    ...(settings.sampleSize !== undefined ? { sampleSize: settings.sampleSize } : {}),
    ...(settings.searchSettleSeconds !== undefined ? { searchSettleMs: settings.searchSettleSeconds * 1000 } : {}),
  };
}
