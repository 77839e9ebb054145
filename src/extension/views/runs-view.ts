import * as vscode from 'vscode';

import type { RecordCounts } from '../../model/journal';
import type { RunEntry } from '../ledger-runs';
import type { MigrationFolder } from '../migration-folder';
import { rolledBackBy } from '../rolled-back';
import { runReport } from '../run-report';
import { describeRun, type RunLook } from '../run-rows';

type Node =
  | { kind: 'run'; entry: RunEntry; dir: string; rolledBackBy?: string }
  | { kind: 'type'; type: string; counts: RecordCounts };

const STATUS_LOOK: Record<RunLook, { icon: string; color: string }> = {
  completed: { icon: 'pass-filled', color: 'testing.iconPassed' },
  completedWithFindings: { icon: 'warning', color: 'problemsWarningIcon.foreground' },
  rolledBack: { icon: 'discard', color: 'disabledForeground' },
  running: { icon: 'sync~spin', color: 'progressBar.background' },
  interrupted: { icon: 'debug-pause', color: 'problemsWarningIcon.foreground' },
  failed: { icon: 'error', color: 'problemsErrorIcon.foreground' },
  cancelled: { icon: 'circle-slash', color: 'problemsWarningIcon.foreground' },
};

/** The ledger's runs, newest first, with counts; each expands into counts per object type. */
export class RunsView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly folder: MigrationFolder,
    private readonly warn: (message: string) => void,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'run') {
      return Object.entries(node.entry.counts)
        .filter((e): e is [string, RecordCounts] => e[1] !== undefined)
        .map(([type, counts]) => ({ kind: 'type', type, counts }));
    }
    if (node) return [];
    const root = this.folder.workspaceFolder();
    if (!root || root.uri.scheme !== 'file') return [];
    const dir = root.uri.fsPath;
    const { listRunEntries } = await import('../ledger-runs');
    const entries = await listRunEntries(dir, this.warn);
    const undoneBy = rolledBackBy(entries.map((e) => e.summary.meta));
    return entries.reverse().map((entry) => {
      const by = undoneBy.get(entry.summary.meta.id);
      return { kind: 'run', entry, dir, ...(by ? { rolledBackBy: by } : {}) };
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'type') {
      const item = new vscode.TreeItem(node.type);
      const c = node.counts;
      item.description = `${c.migrated} migrated · ${c.skipped} skipped · ${c.failed} failed`;
      const reasons = [
        ...Object.entries(c.skippedReasons).map(([r, n]) => `skipped ${n}: ${r}`),
        ...Object.entries(c.failedReasons).map(([r, n]) => `failed ${n}: ${r}`),
      ];
      item.tooltip = reasons.length ? reasons.join('\n') : undefined;
      item.iconPath = new vscode.ThemeIcon(
        c.failed > 0 ? 'warning' : 'symbol-number',
        c.failed > 0 ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined,
      );
      return item;
    }
    const meta = node.entry.summary.meta;
    const row = describeRun(node.entry, {
      ...(node.rolledBackBy ? { rolledBackBy: node.rolledBackBy } : {}),
      hasReport: runReport(node.dir, meta.id) !== undefined,
    });
    // A rollback journals no records: nothing to expand.
    const item = new vscode.TreeItem(
      row.label,
      node.entry.undo ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `run.${meta.id}`;
    item.description = row.description;
    item.tooltip = new vscode.MarkdownString(row.tooltip.join('  \n'));
    const look = STATUS_LOOK[row.look];
    item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
    item.contextValue = row.contextValue;
    return item;
  }
}

/** The run id a Runs-view command was invoked on (tree item argument), if any. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'run' && 'entry' in arg)
    return (arg as { entry: RunEntry }).entry.summary.meta.id;
  return undefined;
}
