import type { MigrationConfig } from '../model/migration-config';
import type { SecretPresence } from './secrets';

/** What the Connections view shows for one side of the migration (pure, so it is unit-tested). */
export interface ConnectionState {
  id: 'source' | 'intercom' | 'ai';
  label: string;
  status: 'connected' | 'incomplete' | 'notConnected' | 'off';
  description: string;
  tooltip: string;
}

const REGION_HOSTS = { us: 'api.intercom.io', eu: 'api.eu.intercom.io', au: 'api.au.intercom.io' } as const;

function sourceState(config: MigrationConfig | undefined, secrets: SecretPresence): ConnectionState {
  const source = config?.source;
  const base = { id: 'source', label: 'SmarterTrack' } as const;
  if (!source) return { ...base, status: 'notConnected', description: 'not connected', tooltip: 'No SmarterTrack source in migration/config.json.' };
  const where =
    source.kind === 'sqlserver' ? `SQL Server · ${source.server}:${source.port}/${source.database}`
    : source.kind === 'sqlite' ? `SQLite · ${source.file}`
    : `Web Services · ${source.url}`;
  const needsPassword = source.kind !== 'sqlite';
  if (needsPassword && !secrets.smartertrackPassword) {
    return { ...base, status: 'incomplete', description: `${where} · password missing`, tooltip: `${where}\nThe password is not in secret storage: run "Connect SmarterTrack" again.` };
  }
  return { ...base, status: 'connected', description: where, tooltip: `${where}${needsPassword ? `\nUser ${source.user}; password in secret storage.` : ''}` };
}

function intercomState(config: MigrationConfig | undefined, secrets: SecretPresence): ConnectionState {
  const region = config?.intercom.region ?? 'us';
  const where = `${region.toUpperCase()} · ${REGION_HOSTS[region]} · API ${config?.intercom.apiVersion ?? '2.16'}`;
  const base = { id: 'intercom', label: 'Intercom' } as const;
  if (!secrets.intercomToken) return { ...base, status: 'notConnected', description: 'not connected', tooltip: `${where}\nNo access token in secret storage.` };
  return { ...base, status: 'connected', description: where, tooltip: `${where}\nAccess token in secret storage.` };
}

function aiState(config: MigrationConfig | undefined, secrets: SecretPresence): ConnectionState {
  const base = { id: 'ai', label: 'AI proposer' } as const;
  const ai = config?.ai;
  if (!ai?.enabled) return { ...base, status: 'off', description: 'off', tooltip: 'The field map is proposed by heuristics only (ai.enabled is false).' };
  const where = `${ai.model}${ai.baseUrl ? ` · ${ai.baseUrl}` : ''}`;
  if (!secrets.aiKey) return { ...base, status: 'incomplete', description: `${where} · key missing`, tooltip: `${where}\nNo API key in secret storage: run "Set AI Key".` };
  return { ...base, status: 'connected', description: where, tooltip: `${where}\nAPI key in secret storage.` };
}

/**
 * The three entries, or none when neither SmarterTrack nor Intercom is connected: an empty view lets
 * VS Code show the welcome content with its Connect buttons instead.
 */
export function describeConnections(config: MigrationConfig | undefined, secrets: SecretPresence): ConnectionState[] {
  const states = [sourceState(config, secrets), intercomState(config, secrets), aiState(config, secrets)];
  const [source, intercom] = states;
  if (source?.status === 'notConnected' && intercom?.status === 'notConnected') return [];
  return states;
}
