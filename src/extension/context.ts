import type * as vscode from 'vscode';
import type { MigrationConfig } from '../model/migration-config';
import type { MigrationFolder } from './migration-folder';
import type { SecretStore } from './secrets';

/** What every command and view of the extension shares; built once in activate(). */
export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly secrets: SecretStore;
  readonly folder: MigrationFolder;
  /** A new migration/config.json from the user's st2ic.* settings. */
  defaultConfig(): MigrationConfig;
  /** Re-reads migration/ and secret presence into the views and context keys. */
  refreshViews(): Promise<void>;
}
