import * as vscode from 'vscode';
import type { RecordCounts } from '../../model/journal';
import type { RunEntry } from '../ledger-runs';
import type { MigrationFolder } from '../migration-folder';
import { countsText, totals } from '../run-counts';
import { runReport } from '../run-report';

type Node = { kind: 'run'; entry: RunEntry; dir: string } | { kind: 'type'; type: string; counts: RecordCounts };

const STATUS_LOOK: Record<string, { icon: string; color: string }> = {
  completed: { icon: 'pass-filled', color: 'testing.iconPassed' },
  completedWithFailures: { icon: 'warning', color: 'problemsWarningIcon.foreground' },
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
    return (await listRunEntries(dir, this.warn)).reverse().map((entry) => ({ kind: 'run', entry, dir }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'type') {
      const item = new vscode.TreeItem(node.type);
      const c = node.counts;
      item.description = `${c.migrated} migrated · ${c.skipped} skipped · ${c.failed} failed`;
      const reasons = [...Object.entries(c.skippedReasons).map(([r, n]) => `skipped ${n}: ${r}`), ...Object.entries(c.failedReasons).map(([r, n]) => `failed ${n}: ${r}`)];
      item.tooltip = reasons.length ? reasons.join('\n') : undefined;
      item.iconPath = new vscode.ThemeIcon(c.failed > 0 ? 'warning' : 'symbol-number', c.failed > 0 ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
      return item;
    }
    const { summary, counts } = node.entry;
    const meta = summary.meta;
    const t = totals(counts);
    const state = summary.interrupted ? 'interrupted' : meta.status === 'completed' && t.failed > 0 ? 'completedWithFailures' : meta.status;
    const item = new vscode.TreeItem(`${meta.kind}${meta.rollbackOf ? ` of ${meta.rollbackOf}` : ''} · ${summary.interrupted ? 'interrupted' : meta.status}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `run.${meta.id}`;
    item.description = `${meta.startedAt.replace('T', ' ').slice(0, 16)} · ${countsText(counts)}`;
    item.tooltip = new vscode.MarkdownString(
      [`**${meta.id}**`, `${meta.kind}, ${summary.interrupted ? 'interrupted' : meta.status}, ${meta.attempts} attempt(s)`, `Source: ${meta.source.description}`, `Map ${meta.mappingHash.slice(0, 12)}`, countsText(counts)].join('  \n'),
    );
    const look = STATUS_LOOK[state] ?? STATUS_LOOK.running!;
    item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
    const hasReport = runReport(node.dir, meta.id) !== undefined;
    item.contextValue = `run.${meta.kind}.${meta.status}${hasReport ? '.report' : ''}`;
    return item;
  }
}

/** The run id a Runs-view command was invoked on (tree item argument), if any. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'kind' in arg && arg.kind === 'run' && 'entry' in arg) return (arg as { entry: RunEntry }).entry.summary.meta.id;
  return undefined;
}
