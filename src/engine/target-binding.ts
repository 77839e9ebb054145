import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

import { AuthError, type IntercomClient } from '../intercom';
import type { Ledger } from '../ledger';
import { recordKey } from '../ledger/counts';
import { nodeLedgerFs } from '../ledger/fs-layer';
import type { Clock } from '../model/clock';
import { isMissingFile } from '../model/error-message';
import { conversationSourceKey, parseConversationSourceKey, SOURCE_KEY_ATTRIBUTE } from '../model/source-keys';
import { migrationPaths } from '../model/workspace-paths';
import { zodIssues } from '../model/zod-issues';
import type { SourceReader } from '../source';
import { EngineUsageError } from './errors';
import { keyedTickets } from './ticket-keys';

/**
 * A workspace folder is bound to one Intercom workspace, recorded in `migration/target.json` before
 * its first write. Another target is refused; a fresh folder pointed at an Intercom that already
 * holds this tool's objects refuses to write until the user adopts them (--adopt), so a second
 * copy of a migration can never be written beside the first.
 */
export const TargetFile = z.object({
  version: z.literal(1),
  appIdCode: z.string().min(1),
  appName: z.string(),
  region: z.string().nullable(),
  /** The API address last used to reach it, so later commands may omit --region/--intercom-url (absent in files bound before it was recorded). */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  boundAt: z.iso.datetime({ offset: true }),
});
export type TargetFile = z.infer<typeof TargetFile>;

export interface IntercomWorkspaceId {
  appIdCode: string;
  appName: string;
  region: string | null;
  apiBaseUrl?: string;
}

export function targetPath(workspaceDir: string): string {
  return migrationPaths(workspaceDir).target;
}

/** What GET /me said of one access token, named by its place in the list (never by its value). */
export type TokenCheck =
  | { number: number; ok: true; workspace: IntercomWorkspaceId; admin: string }
  | { number: number; ok: false; reason: string };

/**
 * Each token asked on its own with GET /me. A refused token (401) is a result, not an error, so a
 * view can show which of several failed; anything else (network, 5xx) is thrown as it came.
 */
export async function checkEachToken(client: IntercomClient): Promise<TokenCheck[]> {
  const lanes = client.transport.lanes.live();
  const several = lanes.length > 1;
  const checks: TokenCheck[] = [];
  for (const lane of lanes) {
    try {
      const me = await client.admins.me(several ? lane.number : undefined);
      if (!me.app?.id_code)
        throw new EngineUsageError(
          'GET /me did not name the Intercom workspace (app.id_code): cannot bind this folder to it',
        );
      const workspace = {
        appIdCode: me.app.id_code,
        appName: me.app.name ?? '(unnamed workspace)',
        region: me.app.region ?? null,
        apiBaseUrl: client.transport.baseUrl,
      };
      checks.push({ number: lane.number, ok: true, workspace, admin: me.name ?? me.email ?? me.id });
    } catch (error) {
      if (!(several && error instanceof AuthError)) throw error;
      checks.push({ number: lane.number, ok: false, reason: 'refused by Intercom (401)' });
    }
  }
  return checks;
}

/** Why a list of token checks cannot be used together, or undefined when it can. */
export function tokenProblem(checks: readonly TokenCheck[]): string | undefined {
  const refused = checks.find((c) => !c.ok);
  if (refused)
    return `Intercom refused access token ${refused.number} of ${checks.length} (401): replace it or remove it from the list; nothing was written`;
  const passed = checks.filter((c): c is Extract<TokenCheck, { ok: true }> => c.ok);
  const first = passed[0];
  const other = passed.find((c) => c.workspace.appIdCode !== first?.workspace.appIdCode);
  if (first && other) {
    return (
      `Access token ${other.number} of ${checks.length} belongs to Intercom workspace ${describe(other.workspace)}, token ${first.number} to ${describe(first.workspace)}: ` +
      'several tokens must be apps of one workspace; nothing was written'
    );
  }
  return undefined;
}

/**
 * The Intercom workspace behind the token, as GET /me names it. With several tokens, each is asked
 * on its own before anything is written: a refused token, or one of another workspace, stops here,
 * named by its place in the list (never by its value).
 */
export async function intercomWorkspaceOf(client: IntercomClient): Promise<IntercomWorkspaceId> {
  const checks = await checkEachToken(client);
  const problem = tokenProblem(checks);
  if (problem) throw new EngineUsageError(problem);
  const first = checks[0];
  if (!first?.ok) throw new EngineUsageError('no Intercom access token to check');
  return first.workspace;
}

const describe = (w: { appName: string; appIdCode: string; region: string | null }) =>
  `"${w.appName}" (${w.appIdCode}${w.region ? `, ${w.region}` : ''})`;

/** The target is another Intercom workspace than the folder's: exit 2, naming both. */
export class TargetMismatchError extends EngineUsageError {
  static between(bound: TargetFile, actual: IntercomWorkspaceId, file: string): TargetMismatchError {
    return new TargetMismatchError(
      `This migration folder writes to Intercom workspace ${describe(bound)} (${file}), but the token and address point at ${describe(actual)}. ` +
        'Use the token of the bound workspace, or start a separate migration folder for the other one.',
    );
  }
}

/** Intercom already holds objects of this source and this folder has no ledger of them: exit 2. */
export class UnadoptedTargetError extends EngineUsageError {}

export async function readTarget(workspaceDir: string): Promise<TargetFile | undefined> {
  const file = targetPath(workspaceDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
  const parsed = TargetFile.safeParse(
    (() => {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    })(),
  );
  if (!parsed.success)
    throw new EngineUsageError(
      `${file} is damaged (${zodIssues(parsed.error, 1)}): restore it from version control, or delete it to bind the folder again (the ledger is checked against Intercom first)`,
    );
  return parsed.data;
}

export async function writeTarget(workspaceDir: string, target: IntercomWorkspaceId, clock: Clock): Promise<void> {
  await writeTargetFile(workspaceDir, { version: 1, ...target, boundAt: clock.now().toISOString() });
}

async function writeTargetFile(workspaceDir: string, body: TargetFile): Promise<void> {
  await mkdir(path.dirname(targetPath(workspaceDir)), { recursive: true });
  await nodeLedgerFs.writeFileAtomic(targetPath(workspaceDir), JSON.stringify(body, null, 2) + '\n');
}

/** The bound workspace was reached at another address (a sandbox on a new port): remember the new one, keep the binding. */
async function rememberAddress(workspaceDir: string, bound: TargetFile, actual: IntercomWorkspaceId): Promise<void> {
  if (actual.apiBaseUrl === undefined || bound.apiBaseUrl === actual.apiBaseUrl) return;
  await writeTargetFile(workspaceDir, { ...bound, apiBaseUrl: actual.apiBaseUrl });
}

/** This source's objects that Intercom holds and the ledger does not know (a few probes of each kind). */
export interface UnknownObjects {
  contacts: string[];
  companies: string[];
  conversations: string[];
  /** Intercom tickets (a department sent to a ticket type), by source key. */
  tickets: string[];
}

const anyUnknown = (u: UnknownObjects) =>
  u.contacts.length + u.companies.length + u.conversations.length + u.tickets.length > 0;

/**
 * Cheap probes, at the start of every writing run: the first end users and organizations of the
 * source by the keys the engine gives them (external_id, company_id), the first page of
 * conversations by their source key, and the first Intercom tickets of each ticket type that has the
 * source key attribute. Whatever Intercom has that the ledger does not map to the same
 * object means a lost, partial or other ledger: writing would migrate it a second time. (An object
 * of a write whose outcome is unknown is known: an interrupted run's lookup decides it before sending.)
 */
export async function findUnknownObjects(
  client: IntercomClient,
  reader: SourceReader,
  ledger: Ledger,
  probes = 5,
): Promise<UnknownObjects> {
  const unknown: UnknownObjects = { contacts: [], companies: [], conversations: [], tickets: [] };
  let n = 0;
  for await (const user of reader.endUsers()) {
    if (n++ >= probes) break;
    const found = await client.contacts.findByExternalId(String(user.id));
    if (
      found &&
      ledger.intercomIdFor('endUsers', String(user.id)) !== found.id &&
      !ledger.hasPendingWrite('endUsers', String(user.id))
    )
      unknown.contacts.push(String(user.id));
  }
  n = 0;
  for await (const org of reader.organizations()) {
    if (n++ >= probes) break;
    const found = await client.companies.findByCompanyId(String(org.id));
    if (
      found &&
      ledger.intercomIdFor('organizations', String(org.id)) !== found.id &&
      !ledger.hasPendingWrite('organizations', String(org.id))
    )
      unknown.companies.push(String(org.id));
  }
  n = 0;
  for await (const conversation of client.conversations.list(20)) {
    if (n++ >= 20) break;
    const key = parseConversationSourceKey(conversation.custom_attributes?.[SOURCE_KEY_ATTRIBUTE]);
    if (
      key &&
      ledger.intercomIdFor(key.objectType, key.sourceId) !== String(conversation.id) &&
      !ledger.hasPendingWrite(key.objectType, key.sourceId)
    )
      unknown.conversations.push(conversationSourceKey(key.objectType, key.sourceId));
  }
  for await (const { sourceId, ticketId } of keyedTickets(client, 20)) {
    if (ledger.intercomIdFor('tickets', sourceId) !== ticketId && !ledger.hasPendingWrite('tickets', sourceId))
      unknown.tickets.push(conversationSourceKey('tickets', sourceId));
  }
  return unknown;
}

const ENDUSER_KEY = recordKey('endUsers', '');

/** Up to `limit` contacts the ledger says it migrated, as (source id, Intercom id). */
function ledgerContacts(ledger: Ledger, limit: number): { sourceId: string; intercomId: string }[] {
  const out: { sourceId: string; intercomId: string }[] = [];
  for (const [key, mapping] of ledger.indexSnapshot().ids) {
    if (out.length >= limit) break;
    const sourceId = key.startsWith(ENDUSER_KEY) ? key.slice(ENDUSER_KEY.length) : '';
    if (/^\d+$/.test(sourceId) && !mapping.existedBefore) out.push({ sourceId, intercomId: mapping.intercomId });
  }
  return out;
}

/** target.json was lost but the ledger was not: bind again only if Intercom holds the ledger's contacts. */
async function rebindFromLedger(
  req: Pick<BindRequest, 'workspaceDir' | 'client' | 'ledger' | 'clock' | 'warn'>,
  actual: IntercomWorkspaceId,
): Promise<void> {
  const file = targetPath(req.workspaceDir);
  for (const { sourceId, intercomId } of ledgerContacts(req.ledger, 3)) {
    const found = await req.client.contacts.findByExternalId(sourceId);
    if (found?.id !== intercomId) {
      throw new TargetMismatchError(
        `${file} is missing, and the ledger's end user ${sourceId} is not contact ${intercomId} in Intercom workspace ${describe(actual)}: ` +
          'point at the Intercom workspace this ledger migrated into, or restore target.json.',
      );
    }
  }
  req.warn(
    `${file} was missing; the ledger's contacts are in Intercom workspace ${describe(actual)}, so the folder is bound to it again.`,
  );
  await writeTarget(req.workspaceDir, actual, req.clock);
}

/** For writers that only undo (rollback): the bound workspace, or the one the ledger's contacts are in. */
export async function assertBoundTarget(
  req: Pick<BindRequest, 'workspaceDir' | 'client' | 'ledger' | 'clock' | 'warn'>,
): Promise<void> {
  const actual = await intercomWorkspaceOf(req.client);
  const bound = await readTarget(req.workspaceDir);
  if (bound && bound.appIdCode !== actual.appIdCode)
    throw TargetMismatchError.between(bound, actual, targetPath(req.workspaceDir));
  if (!bound) await rebindFromLedger(req, actual);
  else await rememberAddress(req.workspaceDir, bound, actual);
}

export interface BindRequest {
  workspaceDir: string;
  client: IntercomClient;
  reader: SourceReader;
  ledger: Ledger;
  clock: Clock;
  /** The user asked to take over what Intercom already holds (rebuilds the ledger from Intercom). */
  adopt: boolean;
  warn: (message: string) => void;
}

const listed = (keys: string[]) => `${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ' …' : ''}`;

export type BindDecision =
  { action: 'bound'; target: IntercomWorkspaceId } | { action: 'adopt'; target: IntercomWorkspaceId };

/**
 * Checks the target before a run writes: the bound workspace, or (first write) whether Intercom
 * already holds this source's objects. Writes target.json when the folder is bound now, except when
 * the caller must adopt first (it binds after the adoption).
 */
export async function bindTarget(req: BindRequest): Promise<BindDecision> {
  const actual = await intercomWorkspaceOf(req.client);
  const file = targetPath(req.workspaceDir);
  const bound = await readTarget(req.workspaceDir);
  if (bound && bound.appIdCode !== actual.appIdCode) throw TargetMismatchError.between(bound, actual, file);
  const runs = (await req.ledger.listRuns()).filter((r) => r.meta.kind !== 'dry-run');
  if (!bound && runs.length > 0) await rebindFromLedger(req, actual);
  const unknown = await findUnknownObjects(req.client, req.reader, req.ledger);
  if (anyUnknown(unknown)) {
    if (req.adopt) return { action: 'adopt', target: actual };
    const what = [
      unknown.contacts.length ? `contacts with the external_id of end users ${unknown.contacts.join(', ')}` : null,
      unknown.companies.length
        ? `companies with the company_id of organizations ${unknown.companies.join(', ')}`
        : null,
      unknown.conversations.length ? `conversations of ${listed(unknown.conversations)}` : null,
      unknown.tickets.length ? `Intercom tickets of ${listed(unknown.tickets)}` : null,
    ].filter(Boolean);
    throw new UnadoptedTargetError(
      `Intercom workspace ${describe(actual)} already holds objects of this SmarterTrack source that ${runs.length ? "this folder's ledger does not know (it is incomplete or another copy)" : 'this folder has no ledger of'}: ${what.join('; ')}. ` +
        'Writing now would migrate them a second time. Run from the folder that migrated them, or pass --adopt to rebuild this ledger from Intercom first (st2ic ledger rebuild --from-intercom does only that).',
    );
  }
  if (bound) {
    await rememberAddress(req.workspaceDir, bound, actual);
    return { action: 'bound', target: actual };
  }
  await writeTarget(req.workspaceDir, actual, req.clock);
  return { action: 'bound', target: actual };
}
