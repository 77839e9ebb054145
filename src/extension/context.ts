import type * as vscode from 'vscode';

import type { Clock } from '../model/clock';
import type { MigrationConfig } from '../model/migration-config';
import type { CheckResult, ConnectionChecks, ConnectionId } from './connection-state';
import type { Notice } from './editor-wording';
import type { MigrationFolder } from './migration-folder';
import type { Prompts } from './prompts';
import type { SecretStore } from './secrets';

/** What every command and view of the extension shares; built once in activate(). */
export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly secrets: SecretStore;
  readonly folder: MigrationFolder;
  /** The calendar every rule and report reads (pinned by ST2IC_NOW in the extension-host tests). */
  readonly clock: Clock;
  /** Replaced by the extension-host tests to answer questions (see prompts.ts). */
  prompts: Prompts;
  /** A new migration/config.json from the user's st2ic.* settings. */
  defaultConfig(): MigrationConfig;
  /** A run or rollback started from this window is in progress (context key st2ic.runActive). */
  runActive: boolean;
  /** Re-reads migration/ and secret presence into the views and context keys. */
  refreshViews(): Promise<void>;
  /** The latest notices shown (notify.ts), newest last: the extension-host tests read them. */
  readonly notices: Notice[];
  /** Last Test result of each connection (workspace state). */
  checks(): ConnectionChecks;
  recordCheck(id: ConnectionId, result: CheckResult | undefined): Promise<void>;
}
