import * as vscode from 'vscode';
import { CONFIG_FILE, MAPPING_FILE, REPORTS_DIR, RUNS_DIR } from '../../model/migration-config';
import type { MigrationFolder } from '../migration-folder';

interface Entry {
  label: string;
  description: string;
  icon: string;
  uri: vscode.Uri;
  isFile: boolean;
}

/** The files of migration/ and what they say about progress; empty (welcome content) without it. */
export class MigrationView implements vscode.TreeDataProvider<Entry> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly folder: MigrationFolder) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(entry?: Entry): Promise<Entry[]> {
    if (entry || !(await this.folder.exists())) return [];
    const [hasMapping, reports, runs] = await Promise.all([
      this.folder.exists(MAPPING_FILE),
      this.folder.countEntries(REPORTS_DIR),
      this.folder.countEntries(RUNS_DIR),
    ]);
    return [
      { label: CONFIG_FILE, description: 'settings (no secrets)', icon: 'settings-gear', uri: this.folder.requireUri(CONFIG_FILE), isFile: true },
      { label: MAPPING_FILE, description: hasMapping ? 'field map' : 'not proposed yet', icon: hasMapping ? 'symbol-field' : 'circle-large-outline', uri: this.folder.requireUri(MAPPING_FILE), isFile: hasMapping },
      { label: `${REPORTS_DIR}/`, description: `${reports} file${reports === 1 ? '' : 's'}`, icon: 'output', uri: this.folder.requireUri(REPORTS_DIR), isFile: false },
      { label: `${RUNS_DIR}/`, description: `${runs} run${runs === 1 ? '' : 's'}`, icon: 'history', uri: this.folder.requireUri(RUNS_DIR), isFile: false },
    ];
  }

  getTreeItem(entry: Entry): vscode.TreeItem {
    const item = new vscode.TreeItem(entry.label);
    item.description = entry.description;
    item.iconPath = new vscode.ThemeIcon(entry.icon);
    item.resourceUri = entry.uri;
    item.tooltip = vscode.workspace.asRelativePath(entry.uri);
    if (entry.isFile) item.command = { command: 'vscode.open', title: 'Open', arguments: [entry.uri] };
    return item;
  }
}
