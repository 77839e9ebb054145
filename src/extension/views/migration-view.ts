import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import * as vscode from 'vscode';

import { messageOf } from '../../model/error-message';
import { migrationPaths } from '../../model/workspace-paths';
import type { MigrationFolder } from '../migration-folder';
import { describePhases, type PhaseInputs, type PhaseState } from '../phase-state';

const LOOK: Record<PhaseState['status'], { icon: string; color: string }> = {
  done: { icon: 'pass-filled', color: 'testing.iconPassed' },
  attention: { icon: 'warning', color: 'problemsWarningIcon.foreground' },
  failed: { icon: 'error', color: 'problemsErrorIcon.foreground' },
  running: { icon: 'sync~spin', color: 'progressBar.background' },
  todo: { icon: 'circle-large-outline', color: 'disabledForeground' },
};

/**
 * What a click on a phase does: open what it produced, or the field map. A click never starts a
 * phase (tree items are not buttons, and a run writes to Intercom): each phase's inline action and
 * the command palette do, after a confirmation.
 */
const OPEN_ON_CLICK: Partial<Record<PhaseState['id'], { command: string; title: string }>> = {
  mapping: { command: 'st2ic.openMapping', title: 'Open the Field Map' },
};

type Node = { kind: 'phase'; state: PhaseState; open?: vscode.Uri } | { kind: 'error'; message: string };

/** The phases of the migration with status and counts from migration/ (scope.json, mapping.json, the ledger). */
export class MigrationView implements vscode.TreeDataProvider<Node> {
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
    const root = this.folder.workspaceFolder();
    if (node || !root || root.uri.scheme !== 'file' || !(await this.folder.exists())) return [];
    const dir = root.uri.fsPath;
    try {
      const inputs = await readPhaseInputs(dir, this.warn);
      const paths = migrationPaths(dir);
      const opens: Partial<Record<PhaseState['id'], string>> = {
        scope: path.join(paths.reports, 'scope.md'),
        configure: paths.workspacePlan,
        mapping: paths.mapping,
      };
      return describePhases(inputs).map((state) => {
        const file = state.opens ? path.join(dir, state.opens) : opens[state.id];
        return { kind: 'phase', state, ...(file && existsSync(file) ? { open: vscode.Uri.file(file) } : {}) };
      });
    } catch (error) {
      return [{ kind: 'error', message: messageOf(error) }];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'error') {
      const item = new vscode.TreeItem('migration/ could not be read');
      item.description = node.message;
      item.tooltip = node.message;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      return item;
    }
    const { state } = node;
    const item = new vscode.TreeItem(state.label);
    item.id = `phase.${state.id}`;
    item.description = state.description;
    item.tooltip = state.tooltip;
    const look = LOOK[state.status];
    item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
    item.contextValue = `phase.${state.id}.${state.status}`;
    const opens = node.open
      ? state.id === 'mapping'
        ? { command: 'vscode.open', title: 'Open', arguments: [node.open] }
        : { command: 'markdown.showPreview', title: 'Open', arguments: [node.open] }
      : OPEN_ON_CLICK[state.id];
    if (opens) item.command = opens;
    return item;
  }
}

/** What migration/ holds now, read for the phases and the context keys. */
export async function readPhaseInputs(dir: string, warn: (message: string) => void): Promise<PhaseInputs> {
  // Loaded when the view is first filled, not at activation.
  const [
    { mappingPath, readMappingFile },
    { effectiveStatus },
    { ScopeSummary },
    { listRunEntries },
    { ReconciliationReport },
  ] = await Promise.all([
    import('../../mapping/mapping-file'),
    import('../../mapping/review'),
    import('../../model/scope'),
    import('../ledger-runs'),
    import('../../model/reports'),
  ]);
  const reports = migrationPaths(dir).reports;
  let scope: PhaseInputs['scope'];
  const scopeFile = path.join(reports, 'scope.json');
  if (existsSync(scopeFile)) {
    const parsed = ScopeSummary.safeParse(JSON.parse(readFileSync(scopeFile, 'utf8')));
    if (parsed.success) {
      const r = parsed.data;
      scope = {
        tickets: r.counts.tickets ?? 0,
        endUsers: r.counts.endUsers ?? 0,
        problems: r.problems.length,
        generatedAt: r.generatedAt,
      };
    }
  }
  let mapping: PhaseInputs['mapping'];
  if (existsSync(mappingPath(dir))) {
    const map = await readMappingFile(dir);
    const status = effectiveStatus(map);
    const by =
      status === 'approved' ? map.review.approved?.by : status === 'reviewed' ? map.review.reviewed?.by : undefined;
    mapping = { status, ...(by ? { by } : {}) };
  }
  const runs = (await listRunEntries(dir, warn)).map(({ summary, counts }) => ({
    id: summary.meta.id,
    kind: summary.meta.kind,
    status: summary.meta.status,
    interrupted: summary.interrupted,
    counts,
    ...(summary.meta.rollbackOf ? { rollbackOf: summary.meta.rollbackOf } : {}),
  }));
  const reconciled = existsSync(reports)
    ? readdirSync(reports)
        .map((n) => /^reconciliation-(.+)\.md$/.exec(n)?.[1])
        .filter((id): id is string => id !== undefined)
    : [];
  // What each run's reconciliation found, so Validate shows its gaps instead of a bare "reconciled".
  const validations: NonNullable<PhaseInputs['validations']> = [];
  for (const runId of reconciled) {
    const file = path.join(reports, `reconciliation-${runId}.json`);
    if (!existsSync(file)) continue;
    const parsed = ReconciliationReport.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success || parsed.data.scope.mode !== 'run') continue;
    const { scope: of, totals, fieldCheck } = parsed.data;
    validations.push({
      runId: of.runId,
      kind: of.kind,
      failed: totals.failed,
      unaccounted: totals.unaccounted,
      differences: fieldCheck.mismatches.length,
    });
  }
  return {
    ...(scope ? { scope } : {}),
    hasWorkspacePlan: existsSync(migrationPaths(dir).workspacePlan),
    ...(mapping ? { mapping } : {}),
    runs,
    reconciled,
    validations,
  };
}
