import type * as vscode from 'vscode';

import { splitTokens } from '../engine/intercom-client';

/**
 * The three secrets of a migration and their SecretStorage keys. Nothing else in the extension
 * touches SecretStorage, so these values can only reach the engine through this wrapper, never
 * settings, migration/ files or logs.
 */
const SECRET_KEYS = {
  intercomToken: 'st2ic.intercom.token',
  smartertrackPassword: 'st2ic.smartertrack.password',
  aiKey: 'st2ic.ai.key',
} as const;
export type SecretName = keyof typeof SECRET_KEYS;
export const SECRET_NAMES = Object.keys(SECRET_KEYS) as SecretName[];

export type SecretPresence = Record<SecretName, boolean>;

export class SecretStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(name: SecretName): Thenable<string | undefined> {
    return this.storage.get(SECRET_KEYS[name]);
  }

  async store(name: SecretName, value: string): Promise<void> {
    if (value.length === 0) throw new Error(`refusing to store an empty ${name}`);
    await this.storage.store(SECRET_KEYS[name], value);
  }

  async delete(name: SecretName): Promise<void> {
    await this.storage.delete(SECRET_KEYS[name]);
  }

  async forgetAll(): Promise<void> {
    for (const name of SECRET_NAMES) await this.delete(name);
  }

  /** Which secrets are stored, without handing their values to the caller. */
  async presence(): Promise<SecretPresence> {
    const entries = await Promise.all(
      SECRET_NAMES.map(async (name) => [name, (await this.get(name)) !== undefined] as const),
    );
    return Object.fromEntries(entries) as SecretPresence;
  }

  /** How many Intercom access tokens are stored (several apps of one workspace, comma-separated). */
  async intercomTokenCount(): Promise<number> {
    return splitTokens(await this.get('intercomToken')).length;
  }

  onDidChange(listener: (name: SecretName) => void): vscode.Disposable {
    return this.storage.onDidChange((event) => {
      const name = SECRET_NAMES.find((n) => SECRET_KEYS[n] === event.key);
      if (name) listener(name);
    });
  }
}
