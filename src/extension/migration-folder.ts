import * as vscode from 'vscode';

import { type MigrationConfig, parseMigrationConfig, serializeMigrationConfig } from '../model/migration-config';
import { CONFIG_FILE, MIGRATION_DIR, RUNS_DIR } from '../model/workspace-paths';

/**
 * The workspace's migration/ folder. With several workspace folders the first one holds it; all file
 * access goes through vscode.workspace.fs so it also works on remote and virtual workspaces.
 */
export class MigrationFolder {
  workspaceFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  /** URI of a path inside migration/, or undefined without an open folder. */
  uri(...segments: string[]): vscode.Uri | undefined {
    const folder = this.workspaceFolder();
    return folder ? vscode.Uri.joinPath(folder.uri, MIGRATION_DIR, ...segments) : undefined;
  }

  requireUri(...segments: string[]): vscode.Uri {
    const uri = this.uri(...segments);
    if (!uri) throw new Error('Open a folder first: the migration folder lives inside the workspace.');
    return uri;
  }

  async exists(...segments: string[]): Promise<boolean> {
    const uri = this.uri(...segments);
    if (!uri) return false;
    try {
      await vscode.workspace.fs.stat(uri);
      return true;
    } catch {
      return false;
    }
  }

  /** The parsed config, undefined when the file does not exist; throws when it is invalid. */
  async readConfig(): Promise<MigrationConfig | undefined> {
    const uri = this.uri(CONFIG_FILE);
    if (!uri || !(await this.exists(CONFIG_FILE))) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    return parseMigrationConfig(new TextDecoder().decode(bytes));
  }

  async writeConfig(config: MigrationConfig): Promise<vscode.Uri> {
    const uri = this.requireUri(CONFIG_FILE);
    await vscode.workspace.fs.createDirectory(this.requireUri());
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(serializeMigrationConfig(config)));
    return uri;
  }

  /** Creates migration/config.json from `defaults` unless it exists; never overwrites a user's file. */
  async initialize(defaults: () => MigrationConfig): Promise<{ uri: vscode.Uri; created: boolean }> {
    const uri = this.requireUri(CONFIG_FILE);
    if (await this.exists(CONFIG_FILE)) return { uri, created: false };
    return { uri: await this.writeConfig(defaults()), created: true };
  }

  async updateConfig(
    defaults: () => MigrationConfig,
    change: (config: MigrationConfig) => MigrationConfig,
  ): Promise<vscode.Uri> {
    const current = (await this.readConfig()) ?? defaults();
    return this.writeConfig(change(current));
  }

  /** Run ids (folder names under migration/runs), newest first: ids start with a UTC timestamp. */
  async listRuns(): Promise<string[]> {
    const uri = this.uri(RUNS_DIR);
    if (!uri || !(await this.exists(RUNS_DIR))) return [];
    const entries = await vscode.workspace.fs.readDirectory(uri);
    return entries
      .filter(([, type]) => type === vscode.FileType.Directory)
      .map(([name]) => name)
      .sort()
      .reverse();
  }

  async countEntries(...segments: string[]): Promise<number> {
    const uri = this.uri(...segments);
    if (!uri || !(await this.exists(...segments))) return 0;
    return (await vscode.workspace.fs.readDirectory(uri)).length;
  }
}
