import * as vscode from 'vscode';
import { RUNS_DIR } from '../../model/migration-config';
import type { MigrationFolder } from '../migration-folder';

/** One entry per folder under migration/runs; opening it shows the run's journal. */
export class RunsView implements vscode.TreeDataProvider<string> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly folder: MigrationFolder) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(runId?: string): Promise<string[]> {
    return runId ? [] : this.folder.listRuns();
  }

  getTreeItem(runId: string): vscode.TreeItem {
    const item = new vscode.TreeItem(runId);
    item.iconPath = new vscode.ThemeIcon('history');
    const journal = this.folder.requireUri(RUNS_DIR, runId, 'journal.jsonl');
    item.tooltip = vscode.workspace.asRelativePath(journal);
    item.command = { command: 'vscode.open', title: 'Open Journal', arguments: [journal] };
    return item;
  }
}
