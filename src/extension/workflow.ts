import { existsSync } from 'node:fs';

import * as vscode from 'vscode';

import { EngineUsageError, RunNotStartedError } from '../engine/errors';
import { fetchWorkspaceAttributes, proposeMap, proposeMapWithAi } from '../engine/propose-map';
import { type MigrationResult, runMigration } from '../engine/run-migration';
import { TargetMismatchError, UnadoptedTargetError } from '../engine/target-binding';
import { planWorkspace, ticketTypesToCreate, workspacePlanSummary } from '../engine/workspace-plan-report';
import { NetworkError } from '../intercom';
import { LedgerLockedError, registerSecret } from '../ledger';
import { mappingPath, readMappingFile, writeMappingFile } from '../mapping/mapping-file';
import { contentHash, effectiveStatus, MapNotConfirmedError } from '../mapping/review';
import type { MappingFile } from '../model/mapping';
import { migrationPaths } from '../model/workspace-paths';
import { buildScope, writeScopeReports } from '../reports/scope';
import { askToConfirmMap } from './confirm-map-prompt';
import { pointsAtStoppedSandbox } from './connection-state';
import type { Ctx } from './context';
import { inEditorTerms, mapGateMessage, notStartedNotice, RUN_TITLE, runOutcome } from './editor-wording';
import {
  attachmentsRootOf,
  intercomTarget,
  openClient,
  openReader,
  requireConfig,
  workspaceDir,
} from './engine-access';
import { countsText, listRunEntries } from './ledger-runs';
import { MAPPING_EDITOR_VIEW_TYPE } from './mapping-editor/mapping-editor';
import { showNotice } from './notify';
import { runOptionsOf } from './run-inputs';
import { RunProgress } from './run-progress';
import { runReport } from './run-report';
import { localSandbox } from './sandbox';

// The workflow commands: each one gathers its inputs, calls one engine function, and shows the
// result. No migration logic lives here.

export async function showMarkdown(file: string): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
}

export async function scope(ctx: Ctx): Promise<string> {
  const config = await requireConfig(ctx);
  const dir = workspaceDir(ctx);
  const files = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Scoping the SmarterTrack source…' },
    async () => {
      const reader = await openReader(ctx, config);
      try {
        const report = await buildScope(reader, {
          attachmentsRoot: attachmentsRootOf(config.source, dir),
          clock: ctx.clock,
        });
        const written = await writeScopeReports(report, dir);
        const total = (k: keyof typeof report.counts) => report.counts[k] ?? 0;
        ctx.log.info(
          `Scope: ${total('tickets')} tickets, ${total('endUsers')} end users, ${total('organizations')} organizations, ${total('kbArticles')} articles; ${report.problems.length} kinds of problem; about ${report.estimate.totalCalls} Intercom calls`,
        );
        return written;
      } finally {
        await reader.close();
      }
    },
  );
  ctx.log.info(
    `Wrote ${vscode.workspace.asRelativePath(files.markdown)} and ${vscode.workspace.asRelativePath(files.json)}`,
  );
  await ctx.refreshViews();
  await showMarkdown(files.markdown);
  return files.markdown;
}

/** Writes the heuristic map when there is none; returns the map on disk. */
async function ensureMap(ctx: Ctx): Promise<MappingFile> {
  const dir = workspaceDir(ctx);
  if (existsSync(mappingPath(dir))) return readMappingFile(dir);
  return (await proposeMapFile(ctx)).map;
}

/** Writes a new proposal (after asking, when a map exists); `proposed` is false when the person kept the old one. */
export async function proposeMapFile(ctx: Ctx): Promise<{ map: MappingFile; proposed: boolean }> {
  const dir = workspaceDir(ctx);
  if (
    existsSync(mappingPath(dir)) &&
    !(await ctx.prompts.confirm(
      'Replace migration/mapping.json with a new proposal?',
      'Your edits and its review stamps are lost (the old file stays in version control if you committed it).',
      'Replace',
    ))
  ) {
    return { map: await readMappingFile(dir), proposed: false };
  }
  const config = await requireConfig(ctx);
  const reader = await openReader(ctx, config);
  try {
    let map: MappingFile;
    if (!config.ai.enabled) map = await proposeMap(reader);
    else {
      // The AI proposer refines the heuristic map; it never throws for the endpoint's sake.
      const apiKey = (await ctx.secrets.get('aiKey')) ?? null;
      if (apiKey) registerSecret(apiKey);
      const attributes = (await ctx.secrets.get('intercomToken'))
        ? await fetchWorkspaceAttributes(await openClient(ctx, config)).catch(() => [])
        : [];
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Asking ${config.ai.model} for field proposals…` },
        () =>
          proposeMapWithAi(reader, {
            settings: config.ai,
            apiKey,
            env: {},
            attributes,
            log: (line) => ctx.log.info(`AI proposer: ${line}`),
          }),
      );
      for (const warning of result.warnings) ctx.log.warn(`AI proposer: ${warning}`);
      ctx.log.info(
        result.usedAi
          ? `AI proposer: ${result.proposals.filter((p) => p.status === 'applied').length} proposal(s) applied`
          : `AI proposer not used: ${result.skipped ?? 'no answer'}`,
      );
      map = result.map;
    }
    const file = await writeMappingFile(dir, map);
    const fields = Object.values(map.objects).reduce((n, o) => n + o.fields.length, 0);
    const low = Object.values(map.objects)
      .flatMap((o) => o.fields)
      .filter((f) => (f.proposal?.confidence ?? 1) < 0.6).length;
    ctx.log.info(
      `Wrote ${vscode.workspace.asRelativePath(file)}: ${fields} field mappings, ${low} with low confidence`,
    );
    await ctx.refreshViews();
    return { map, proposed: true };
  } finally {
    await reader.close();
  }
}

/**
 * The palette's and the Migration view's Propose: after the proposal is written it says what it holds
 * and opens it, since a proposal is there to be reviewed (writing it silently left people looking for it).
 */
export async function proposeAndOpenMap(ctx: Ctx): Promise<void> {
  const { map, proposed } = await proposeMapFile(ctx);
  if (proposed) {
    const fields = Object.values(map.objects).flatMap((o) => o.fields);
    const low = fields.filter((f) => (f.proposal?.confidence ?? 1) < 0.6).length;
    void vscode.window.showInformationMessage(
      `Field map proposed: ${fields.length} field mapping(s), ${low} with low confidence. Nothing moves until it is reviewed and approved.`,
    );
  }
  await openMapping(ctx);
}

export async function openMapping(ctx: Ctx): Promise<void> {
  await ensureMap(ctx);
  await vscode.commands.executeCommand(
    'vscode.openWith',
    vscode.Uri.file(mappingPath(workspaceDir(ctx))),
    MAPPING_EDITOR_VIEW_TYPE,
  );
}

export async function confirmMapping(ctx: Ctx): Promise<string | undefined> {
  const dir = workspaceDir(ctx);
  // An open, edited mapping.json must reach the disk first: the stamp covers what is on disk.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === mappingPath(dir));
  if (open?.isDirty) await open.save();
  const map = await ensureMap(ctx);
  const current = effectiveStatus(map);
  const level = await ctx.prompts.pick(
    [
      { label: 'Reviewed', description: 'allows sample runs', level: 'reviewed' as const },
      { label: 'Approved', description: 'allows full and delta runs', level: 'approved' as const },
    ],
    { title: 'Confirm the field map', placeHolder: `mapping.json is ${current} now` },
  );
  if (!level) return undefined;
  const stamped = await askToConfirmMap(ctx, map, level.level);
  if (!stamped) return undefined;
  await writeMappingFile(dir, stamped);
  const status = effectiveStatus(await readMappingFile(dir));
  ctx.log.info(
    `mapping.json is ${status} by ${stamped.review[level.level]?.by ?? ''} (content ${contentHash(stamped).slice(0, 12)})`,
  );
  await ctx.refreshViews();
  return status;
}

/** resolveWorkspace's plan as a Markdown report, then (after a confirmation) a configure run that applies it. */
export async function configureWorkspace(ctx: Ctx): Promise<string> {
  const config = await requireConfig(ctx);
  const dir = workspaceDir(ctx);
  const map = await ensureMap(ctx);
  const client = await openClient(ctx, config);
  const reader = await openReader(ctx, config);
  let report;
  try {
    report = await planWorkspace({ workspaceDir: dir, client, reader, map, clock: ctx.clock });
  } finally {
    await reader.close();
  }
  const { plan, file, blockers } = report;
  ctx.log.info(`${workspacePlanSummary(plan)} Plan: ${vscode.workspace.asRelativePath(file)}`);
  await showMarkdown(file);
  const gate = mapGateMessage(map, 'configure');
  if (gate) {
    showMapGate(ctx, gate);
    return file;
  }
  const apply = await ctx.prompts.confirm(
    `Apply the workspace plan to "${plan.appName}"?`,
    `${plan.attributesToCreate.length} attribute(s)${plan.tickets.types.length ? `, ${ticketTypesToCreate(plan)}` : ''} will be created; admins and teams are matched, not created (the API cannot).${blockers.length ? ` Worth fixing first: ${blockers.join('; ')}.` : ''} The configure run is journaled and can be rolled back.`,
    'Apply',
  );
  if (apply) await runKind(ctx, 'configure');
  return file;
}

/** The map does not allow the run: said before any confirmation, with the way to fix it. */
function showMapGate(ctx: Ctx, message: string): void {
  ctx.log.warn(message);
  void vscode.window
    .showWarningMessage(message, 'Open the Field Map')
    .then((a) => a && vscode.commands.executeCommand('st2ic.openMapping'));
}

let activeRun: AbortController | undefined;

/** adopt: adopt what Intercom already holds of this source first; takeOver: take the writer lock from a holder that cannot be checked. */
interface RunKindOptions {
  adopt?: boolean;
  takeOver?: boolean;
}

/**
 * Another process holds the workspace's writer lock and cannot be checked from here (another host):
 * the refusal is shown with a way to take over, after a modal confirmation that says when not to.
 */
async function offerTakeOver(
  ctx: Ctx,
  kind: 'configure' | 'sample' | 'full' | 'delta' | 'dry-run',
  refusal: LedgerLockedError,
  options: RunKindOptions,
): Promise<MigrationResult | undefined> {
  const answer = await vscode.window.showErrorMessage(inEditorTerms(refusal.message), 'Take Over…');
  if (answer !== 'Take Over…') return undefined;
  const { pid, hostname } = refusal.holder;
  const ok = await ctx.prompts.confirm(
    `Take over this workspace from pid ${pid} on ${hostname}?`,
    'Only if that process is gone for good (its machine is down, or its container restarted under a new host name): two writers would write records twice. Its interrupted run is resumed, and its writes of unknown outcome are looked up in Intercom before anything is sent.',
    'Take Over',
  );
  return ok ? runKind(ctx, kind, { ...options, takeOver: true }) : undefined;
}

export async function runKind(
  ctx: Ctx,
  kind: 'configure' | 'sample' | 'full' | 'delta' | 'dry-run',
  options: RunKindOptions = {},
): Promise<MigrationResult | undefined> {
  if (activeRun) throw new Error('A run is already in progress: cancel it from its notification first.');
  const config = await requireConfig(ctx);
  const dir = workspaceDir(ctx);
  // Every run that writes records asks first, naming where they go: nothing is written by one click.
  if (kind === 'sample' || kind === 'full' || kind === 'delta') {
    // A run the map does not allow is not offered to start (the engine would refuse it after the question).
    const gate = existsSync(mappingPath(dir))
      ? mapGateMessage(await readMappingFile(dir), kind)
      : 'There is no field map yet: open the Field Map to propose one, accept its fields and confirm it.';
    if (gate) {
      showMapGate(ctx, gate);
      return undefined;
    }
    const previous = (await listRunEntries(dir, (m) => ctx.log.warn(m))).filter(
      (r) => r.summary.meta.kind !== 'rollback' && r.summary.meta.kind !== 'dry-run',
    );
    const what = {
      sample: `A sample of up to ${config.run.sampleSize} tickets, with their contacts and companies, is written to the workspace.`,
      full: 'Every record in scope is written to the workspace (an interrupted full run resumes).',
      delta: 'Records new or changed since the last run are written.',
    }[kind];
    const ok = await ctx.prompts.confirm(
      `Start a ${{ sample: 'sample run', full: 'full migration', delta: 'delta run' }[kind]} into Intercom (${intercomTarget(config)})?`,
      `${what} ${previous.length} earlier run(s) in the ledger. It can be cancelled from its notification and rolled back from the Runs view.`,
      'Start',
    );
    if (!ok) return undefined;
  }
  const client = await openClient(ctx, config);
  const reader = await openReader(ctx, config);
  const abort = new AbortController();
  activeRun = abort;
  ctx.runActive = true;
  let sink: RunProgress | undefined;
  let result: MigrationResult | undefined;
  let refusal: LedgerLockedError | undefined;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: RUN_TITLE[kind], cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          ctx.log.warn('Stopping after the writes in flight (the run can be resumed)…');
          abort.abort();
        });
        // Each new phase also refreshes the views, so the run shows up (running) in Runs and Migration.
        sink = new RunProgress(RUN_TITLE[kind], ctx.log, client, (message) => {
          progress.report({ message });
          void ctx.refreshViews();
        });
        ctx.log.show(true);
        return runMigration({
          workspaceDir: dir,
          kind,
          reader,
          client,
          progress: sink,
          signal: abort.signal,
          clock: ctx.clock,
          adopt: options.adopt === true,
          takeOver: options.takeOver === true,
          options: runOptionsOf(config),
        });
      },
    );
  } catch (error) {
    if (error instanceof UnadoptedTargetError) {
      // Intercom already holds this source's objects and this folder's ledger does not: adopting them
      // first (a run that writes nothing to Intercom) is the only way on that cannot write them twice.
      ctx.log.error(error.message);
      const adoptRun = 'Adopt from Intercom, then Run';
      void vscode.window
        .showErrorMessage(inEditorTerms(error.message), { modal: true }, adoptRun)
        .then((a) => (a === adoptRun ? runKind(ctx, kind, { ...options, adopt: true }) : undefined));
      return undefined;
    }
    if (error instanceof RunNotStartedError) {
      ctx.log.error(error.message);
      // Intercom could not be reached: the notice offers the way back to it (the stopped sandbox, or a Test).
      const sandboxStopped = pointsAtStoppedSandbox(
        config.intercom.baseUrl,
        localSandbox(ctx.extension.workspaceState),
      );
      showNotice(
        ctx,
        notStartedNotice(error.message, { unreachable: error.cause instanceof NetworkError, sandboxStopped }),
      );
      return undefined;
    }
    if (error instanceof TargetMismatchError) {
      ctx.log.error(error.message);
      void vscode.window.showErrorMessage(inEditorTerms(error.message));
      return undefined;
    }
    if (error instanceof MapNotConfirmedError) {
      ctx.log.error(error.message);
      void vscode.window
        .showErrorMessage(inEditorTerms(error.message), 'Open the Field Map')
        .then((a) => a && vscode.commands.executeCommand('st2ic.openMapping'));
      return undefined;
    }
    if (error instanceof EngineUsageError) {
      ctx.log.error(error.message);
      void vscode.window.showErrorMessage(inEditorTerms(error.message));
      return undefined;
    }
    if (!(error instanceof LedgerLockedError && error.takeOverAllowed && !options.takeOver)) throw error;
    ctx.log.error(error.message);
    refusal = error;
  } finally {
    activeRun = undefined;
    ctx.runActive = false;
    if (sink) ctx.log.info(`Run figures: ${sink.summary()}`);
    sink?.dispose();
    await reader.close();
    await ctx.refreshViews();
  }
  if (refusal) return offerTakeOver(ctx, kind, refusal, options);
  if (!result) return undefined;
  ctx.log.info(
    `Run ${result.runId} ${result.status}${result.resumed ? ' (resumed)' : ''}${result.message ? `: ${result.message}` : ''}; ${countsText(result.counts)}`,
  );
  const report = runReport(dir, result.runId);
  if (report) await showMarkdown(report);
  const plan = migrationPaths(dir).workspacePlan;
  showNotice(
    ctx,
    runOutcome(kind, result.status, result.counts, {
      runId: result.runId,
      ...(existsSync(plan) ? { workspacePlan: plan } : {}),
      ...(report ? { report } : {}),
      ...(result.message ? { message: inEditorTerms(result.message) } : {}),
    }),
  );
  return result;
}
