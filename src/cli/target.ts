import { z } from 'zod';

import { readTarget, targetPath } from '../engine/target-binding';
import { type Region, REGION_BASE_URLS } from '../intercom';
import { UsageError } from './exit-codes';

/** Where Intercom requests go, and how the user named it (shown before anything is planned or sent). */
export interface IntercomTarget {
  baseUrl: string;
  /** "--region eu", "--intercom-url http://…", or "migration/target.json (workspace "Acme")". */
  from: string;
  /** The name of the Intercom workspace this folder is bound to (target.json), for messages. */
  workspaceName?: string;
  /** No flag named it: it is the one this folder recorded. */
  fromWorkspace?: boolean;
}

const REGIONS: Record<string, Region> = { us: 'US', eu: 'EU', au: 'AU' };

/** An http(s) URL without credentials: `localhost:18921` would parse as a URL of scheme "localhost:". */
const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:18921' })
  .refine(
    (u) => !/^https?:\/\/[^/]*@/.test(u),
    'must not carry a user or password (the token comes from INTERCOM_TOKEN)',
  );

const NO_TARGET =
  'no Intercom target: pass --region us|eu|au or --intercom-url <http(s) URL> (nothing is assumed, so a run never writes to a production workspace by default)';

/**
 * The target is always explicit: a flag, or the Intercom workspace this folder recorded at its first
 * write (migration/target.json). Never a default region.
 */
export async function resolveTarget(
  values: { region?: string; 'intercom-url'?: string },
  workspaceDir: string | undefined,
): Promise<IntercomTarget> {
  const url = values['intercom-url'];
  if (url !== undefined && values.region !== undefined)
    throw new UsageError('--region and --intercom-url name two targets: give one');
  // Read even when a flag names the target: a refused token is then explained with the bound workspace's name.
  const recorded = workspaceDir === undefined ? undefined : await readTarget(workspaceDir);
  const named = recorded ? { workspaceName: recorded.appName } : {};
  if (url !== undefined) {
    const parsed = baseUrlSchema.safeParse(url);
    if (!parsed.success)
      throw new UsageError(`--intercom-url ${parsed.error.issues[0]?.message ?? 'is not valid'} (got ${url})`);
    return { baseUrl: url.replace(/\/+$/, ''), from: `--intercom-url ${url}`, ...named };
  }
  if (values.region !== undefined) {
    const region = REGIONS[values.region.toLowerCase()];
    if (!region) throw new UsageError(`--region must be us, eu or au (got ${values.region})`);
    return { baseUrl: REGION_BASE_URLS[region], from: `--region ${values.region.toLowerCase()}`, ...named };
  }
  if (!recorded || workspaceDir === undefined) throw new UsageError(NO_TARGET);
  const region = recorded.region ? REGIONS[recorded.region.toLowerCase()] : undefined;
  const baseUrl = recorded.apiBaseUrl ?? (region ? REGION_BASE_URLS[region] : undefined);
  if (!baseUrl)
    throw new UsageError(
      `${targetPath(workspaceDir)} does not say where Intercom workspace "${recorded.appName}" is reached: pass --region us|eu|au or --intercom-url <http(s) URL>`,
    );
  return {
    baseUrl,
    from: `${targetPath(workspaceDir)}, Intercom workspace "${recorded.appName}"`,
    fromWorkspace: true,
    ...named,
  };
}
