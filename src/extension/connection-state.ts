import { z } from 'zod';

import type { MigrationConfig } from '../model/migration-config';
import type { SecretPresence } from './secrets';

export type ConnectionId = 'source' | 'intercom' | 'ai';

/** What the Connections view shows for one side of the migration (pure, so it is unit-tested). */
export interface ConnectionState {
  id: ConnectionId;
  label: string;
  /** verified: the last Test of this very target passed; failed: it did not. */
  status: 'verified' | 'connected' | 'failed' | 'incomplete' | 'notConnected' | 'off';
  description: string;
  tooltip: string;
  /** Several Intercom access tokens: one entry each, named by its place in the list (never its value). */
  tokens?: TokenState[];
  /** The command a click runs, when it is not the connection's Connect command. */
  command?: string;
}

/** The sandbox this window last started (its address survives a reload; the server does not). */
export interface LocalSandbox {
  url: string;
  running: boolean;
}

/** The folder points at the sandbox this window ran, and it stopped (with the window, on a reload). */
export function pointsAtStoppedSandbox(baseUrl: string | undefined, sandbox: LocalSandbox | undefined): boolean {
  return sandbox !== undefined && !sandbox.running && baseUrl === sandbox.url;
}

export interface TokenState {
  label: string;
  status: 'verified' | 'failed' | 'connected';
  description: string;
  tooltip: string;
}

/** One token's part of the last Intercom test. */
const TokenCheckResult = z.object({ number: z.number().int().min(1), ok: z.boolean(), summary: z.string() });
export type TokenCheckResult = z.infer<typeof TokenCheckResult>;

/** The outcome of the last Test of a connection, kept in the workspace state (never a secret). */
const CheckResult = z.object({
  ok: z.boolean(),
  /** What was tested (source location, Intercom region or base URL, AI model): a result for another target is stale. */
  target: z.string(),
  /** Passed: what was found ("Acme · EU"); failed: the error. */
  summary: z.string(),
  at: z.string(),
  /** With several Intercom tokens: what each one answered. */
  tokens: z.array(TokenCheckResult).optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;
const ConnectionChecks = z.object({
  source: CheckResult.optional(),
  intercom: CheckResult.optional(),
  ai: CheckResult.optional(),
});
export type ConnectionChecks = z.infer<typeof ConnectionChecks>;

/** The checks as the workspace state holds them; anything unreadable (an older shape) counts as never tested. */
export function parseConnectionChecks(stored: unknown): ConnectionChecks {
  const parsed = ConnectionChecks.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}

/** Identifies what a Test talks to, so a result is shown only while the configuration still points there. */
export function checkTarget(id: ConnectionId, config: MigrationConfig | undefined): string {
  if (id === 'source') return config?.source ? JSON.stringify(config.source) : '';
  if (id === 'intercom') return config?.intercom.baseUrl ?? config?.intercom.region ?? 'us';
  return `${config?.ai.model ?? ''}|${config?.ai.baseUrl ?? ''}`;
}

function withCheck(state: ConnectionState, check: CheckResult | undefined, target: string): ConnectionState {
  if (state.status !== 'connected' || !check || check.target !== target) return state;
  const when = `tested ${check.at.replace('T', ' ').slice(0, 16)} UTC`;
  return check.ok
    ? {
        ...state,
        status: 'verified',
        description: check.summary,
        tooltip: `${state.tooltip}\n${check.summary} (${when})`,
      }
    : {
        ...state,
        status: 'failed',
        description: `${state.description} · test failed`,
        tooltip: `${state.tooltip}\nTest failed (${when}): ${check.summary}`,
      };
}

const REGION_HOSTS = { us: 'api.intercom.io', eu: 'api.eu.intercom.io', au: 'api.au.intercom.io' } as const;

function sourceState(config: MigrationConfig | undefined, secrets: SecretPresence): ConnectionState {
  const source = config?.source;
  const base = { id: 'source', label: 'SmarterTrack' } as const;
  if (!source)
    return {
      ...base,
      status: 'notConnected',
      description: 'not connected',
      tooltip: 'No SmarterTrack source in migration/config.json.',
    };
  const where =
    source.kind === 'sqlserver'
      ? `SQL Server · ${source.server}:${source.port}/${source.database}`
      : source.kind === 'sqlite'
        ? `SQLite · ${source.file}`
        : `Web Services · ${source.url}`;
  const needsPassword = source.kind !== 'sqlite';
  if (needsPassword && !secrets.smartertrackPassword) {
    return {
      ...base,
      status: 'incomplete',
      description: `${where} · password missing`,
      tooltip: `${where}\nThe password is not in secret storage: run "Connect SmarterTrack" again.`,
    };
  }
  return {
    ...base,
    status: 'connected',
    description: where,
    tooltip: `${where}${needsPassword ? `\nUser ${source.user}; password in secret storage.` : ''}`,
  };
}

/**
 * Several tokens: each one's row, from the last test of this target when it covered that token, else
 * "not tested". A single token has no rows: the Intercom entry says it all.
 */
function tokenStates(count: number, check: CheckResult | undefined, target: string): TokenState[] | undefined {
  if (count < 2) return undefined;
  const current = check && check.target === target ? check : undefined;
  return Array.from({ length: count }, (_, i) => {
    const number = i + 1;
    const label = `Token ${number} of ${count}`;
    const result = current?.tokens?.find((t) => t.number === number);
    if (!result)
      return {
        label,
        status: 'connected',
        description: 'not tested',
        tooltip: `${label}: kept in secret storage; run "Test Intercom" to check it with GET /me.`,
      };
    const when = `tested ${current!.at.replace('T', ' ').slice(0, 16)} UTC`;
    return result.ok
      ? { label, status: 'verified', description: result.summary, tooltip: `${label}: ${result.summary} (${when})` }
      : {
          label,
          status: 'failed',
          description: result.summary,
          tooltip: `${label} failed (${when}): ${result.summary}. Replace it or remove it from the list with "Connect Intercom".`,
        };
  });
}

function intercomState(
  config: MigrationConfig | undefined,
  secrets: SecretPresence,
  sandbox: LocalSandbox | undefined,
): ConnectionState {
  const region = config?.intercom.region ?? 'us';
  const host = config?.intercom.baseUrl ?? REGION_HOSTS[region];
  const where = `${config?.intercom.baseUrl ? 'custom URL' : region.toUpperCase()} · ${host} · API ${config?.intercom.apiVersion ?? '2.16'}`;
  const base = { id: 'intercom', label: 'Intercom' } as const;
  if (!secrets.intercomToken)
    return {
      ...base,
      status: 'notConnected',
      description: 'not connected',
      tooltip: `${where}\nNo access token in secret storage.`,
    };
  // The folder points at the sandbox this window ran, and it stopped with the window (a reload):
  // an earlier passed Test says nothing about a server that is gone.
  if (pointsAtStoppedSandbox(config?.intercom.baseUrl, sandbox)) {
    return {
      ...base,
      status: 'incomplete',
      description: `local sandbox · not running`,
      command: 'st2ic.startSandbox',
      tooltip: `${where}\nThe local sandbox this folder points at stopped with the window; its state was kept. Start it to go on: a run resumes there.`,
    };
  }
  return { ...base, status: 'connected', description: where, tooltip: `${where}\nAccess token in secret storage.` };
}

function aiState(config: MigrationConfig | undefined, secrets: SecretPresence): ConnectionState {
  const base = { id: 'ai', label: 'AI proposer' } as const;
  const ai = config?.ai;
  if (!ai?.enabled)
    return {
      ...base,
      status: 'off',
      description: 'off',
      tooltip: 'The field map is proposed by heuristics only (ai.enabled is false).',
    };
  const where = `${ai.model}${ai.baseUrl ? ` · ${ai.baseUrl}` : ''}`;
  if (!secrets.aiKey)
    return {
      ...base,
      status: 'incomplete',
      description: `${where} · key missing`,
      tooltip: `${where}\nNo API key in secret storage: run "Set AI Key".`,
    };
  return { ...base, status: 'connected', description: where, tooltip: `${where}\nAPI key in secret storage.` };
}

/**
 * The three entries, or none when neither SmarterTrack nor Intercom is connected: an empty view lets
 * VS Code show the welcome content with its Connect buttons instead.
 */
export function describeConnections(
  config: MigrationConfig | undefined,
  secrets: SecretPresence,
  checks: ConnectionChecks = {},
  intercomTokens = secrets.intercomToken ? 1 : 0,
  sandbox?: LocalSandbox,
): ConnectionState[] {
  const states = [sourceState(config, secrets), intercomState(config, secrets, sandbox), aiState(config, secrets)].map(
    (state) => withCheck(state, checks[state.id], checkTarget(state.id, config)),
  );
  const intercom = states[1];
  const tokens =
    intercom && intercom.status !== 'notConnected'
      ? tokenStates(intercomTokens, checks.intercom, checkTarget('intercom', config))
      : undefined;
  if (intercom && tokens) {
    states[1] = {
      ...intercom,
      tokens,
      tooltip: `${intercom.tooltip}\n${tokens.length} access tokens (apps of one workspace) share the rate limit.`,
    };
    if (intercom.status === 'connected')
      states[1] = { ...states[1], description: `${intercom.description} · ${tokens.length} tokens` };
  }
  if (states[0]?.status === 'notConnected' && states[1]?.status === 'notConnected') return [];
  return states;
}

/** Which sides a passed Test of their current target proves connected (the walkthrough's steps wait for these). */
export function verifiedConnections(states: readonly ConnectionState[]): { source: boolean; intercom: boolean } {
  const verified = (id: ConnectionId) => states.some((s) => s.id === id && s.status === 'verified');
  return { source: verified('source'), intercom: verified('intercom') };
}
