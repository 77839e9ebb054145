import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { type Ledger, type LedgerOptions, openLedger, type StartRunInput } from '../../src/ledger';
import type { IntentBody } from '../../src/model/journal';
import type { ObjectType } from '../../src/model/object-types';

/** A fresh workspace folder; removed by the returned cleanup. */
export async function tempWorkspace(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'st2ic-ledger-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Collects warnings instead of printing them, so tests can assert on them. */
export async function quietLedger(
  dir: string,
  options: LedgerOptions = {},
): Promise<{ ledger: Ledger; warnings: string[] }> {
  const warnings: string[] = [];
  const ledger = await openLedger(dir, { warn: (m) => warnings.push(m), ...options });
  return { ledger, warnings };
}

export const fullRun: StartRunInput = {
  kind: 'full',
  mappingHash: 'sha256:0f3a',
  source: { kind: 'sqlite', description: 'fixtures/smartertrack.db' },
};

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A contact create for source user `id`, looked up by external_id after a crash. */
export function createContact(id: number | string): IntentBody {
  return {
    op: 'create',
    objectType: 'endUsers',
    sourceId: String(id),
    target: { resource: 'contact', description: 'POST /contacts' },
    lookup: { by: 'external_id', value: `st-user-${id}` },
  };
}

export function createIntent(
  objectType: ObjectType,
  id: number | string,
  resource: IntentBody['target']['resource'] = 'company',
): IntentBody {
  return {
    op: 'create',
    objectType,
    sourceId: String(id),
    target: { resource, description: `POST ${resource}` },
    lookup: { by: 'company_id', value: `st-${objectType}-${id}` },
  };
}
