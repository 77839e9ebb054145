import * as vscode from 'vscode';

import type { PreviewSample } from '../../engine/preview-records';
import {
  acceptAbove,
  acceptField,
  addTicketAttribute,
  conflictingFields,
  dropField,
  editField,
  LOW_CONFIDENCE,
  removeTicketAttribute,
  setGlobalValueMap,
  setObjectEnabled,
  setTicketAttribute,
  setTicketDestination,
  setTicketState,
  StaleEditError,
} from '../../mapping/map-edits';
import { mappingText, parseMappingText } from '../../mapping/mapping-file';
import { contentHash, effectiveStatus } from '../../mapping/review';
import { STANDARD_FIELDS } from '../../mapping/targets';
import { ticketAttributeSources, ticketDestinationProblems } from '../../mapping/ticket-destinations';
import { previewTicket } from '../../mapping/ticket-preview';
import { messageOf } from '../../model/error-message';
import { MappedObject, type MappingFile } from '../../model/mapping';
import { type EditorState, HostMessage, type TargetCatalog, WebviewMessage } from '../../model/mapping-editor-messages';
import { askToConfirmMap } from '../confirm-map-prompt';
import type { Ctx } from '../context';
import { revokedConfirmation } from '../editor-wording';
import { webviewHtml } from './webview-html';

export const MAPPING_EDITOR_VIEW_TYPE = 'st2ic.mappingEditor';

/** What the extension-host tests see of an open editor: they speak for the webview through the same handler. */
export interface MappingEditorProbe {
  readonly uri: vscode.Uri;
  /** A message as the webview would send it (validated like any other). */
  receive(raw: unknown): Promise<void>;
  /** The last 500 messages posted to the webview, oldest first (kept only when VS Code runs the tests). */
  readonly posted: HostMessage[];
  /** Messages refused by the schema. */
  readonly rejected: number;
}

const OBJECTS = MappedObject.options;

/**
 * The mapping editor: a custom text editor over migration/mapping.json. The webview only displays
 * and asks; every change is computed here and written into the document, so undo, redo, dirty state
 * and git diffs work as for any text file.
 */
export class MappingEditorProvider implements vscode.CustomTextEditorProvider {
  private readonly sessions = new Set<MappingEditorSession>();

  constructor(private readonly ctx: Ctx) {}

  static register(ctx: Ctx): { provider: MappingEditorProvider; registration: vscode.Disposable } {
    const provider = new MappingEditorProvider(ctx);
    const registration = vscode.window.registerCustomEditorProvider(MAPPING_EDITOR_VIEW_TYPE, provider, {
      webviewOptions: { retainContextWhenHidden: false },
    });
    return { provider, registration };
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const dist = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    panel.webview.html = webviewHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'mapping-editor.css')).toString(),
      title: 'Field map',
    });
    const session = new MappingEditorSession(this.ctx, document, panel);
    this.sessions.add(session);
    panel.onDidDispose(() => {
      this.sessions.delete(session);
      session.dispose();
    });
  }

  /** The open editor of `uri` (the first when several show it). */
  probe(uri?: vscode.Uri): MappingEditorProbe | undefined {
    return [...this.sessions].find((s) => !uri || s.uri.toString() === uri.toString());
  }
}

class MappingEditorSession implements MappingEditorProbe {
  readonly posted: HostMessage[] = [];
  rejected = 0;
  /** Only the extension's own tests read what was posted: a user's editor keeps nothing. */
  private readonly keepPosted: boolean;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private attributes: TargetCatalog | undefined;
  /** The workspace's teams, read once with the attributes (undefined: not read yet). */
  private teams: { id: string; name: string }[] | null | undefined;
  /** Sample source records per object (read once); their preview is recomputed on every change of the map. */
  private readonly previewInputs = new Map<MappedObject, PreviewSample[]>();
  /** One source ticket per department asked for (null: it has none); its ticket preview follows the map. */
  private readonly departmentTickets = new Map<string, PreviewSample | null>();
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSample: Extract<HostMessage, { type: 'sampleResults' }> | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly document: vscode.TextDocument,
    private readonly panel: vscode.WebviewPanel,
  ) {
    this.keepPosted = ctx.extension.extensionMode === vscode.ExtensionMode.Test;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === document.uri.toString()) this.stateSoon();
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.uri.toString() === document.uri.toString()) this.stateSoon();
      }),
    );
  }

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  dispose(): void {
    if (this.stateTimer) clearTimeout(this.stateTimer);
    for (const d of this.disposables) d.dispose();
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = WebviewMessage.safeParse(raw);
    if (!parsed.success) {
      this.rejected++;
      this.ctx.log.warn(
        `Mapping editor: refused a message that does not match its schema (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      );
      return;
    }
    const message = parsed.data;
    const requestId = message.type === 'ready' ? undefined : message.requestId;
    try {
      const said = await this.handle(message);
      if (requestId !== undefined)
        await this.post({ type: 'reply', requestId, error: null, ...(said ? { message: said } : {}) });
      else if (said) await this.post({ type: 'notice', level: 'info', message: said });
    } catch (error) {
      const said = messageOf(error);
      if (!(error instanceof StaleEditError)) this.ctx.log.error(`Mapping editor: ${said}`);
      // Addressed to the request that failed, so the webview says which of its asks it was.
      await this.post(
        requestId !== undefined
          ? { type: 'reply', requestId, error: said }
          : { type: 'notice', level: 'error', message: said },
      );
      await this.postState();
    }
  }

  /** Carries out one request; returns what it did when that is worth saying. */
  private async handle(message: WebviewMessage): Promise<string | void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        await this.postState();
        await this.postPreviews();
        // A webview that was hidden starts afresh: it gets back the sample results it showed.
        if (this.lastSample) await this.post(this.lastSample);
        return;
      case 'accept':
        return this.change((map) => acceptField(map, message));
      case 'acceptAbove': {
        let accepted = 0;
        await this.change((map) => {
          const result = acceptAbove(map, message.object, message.min);
          accepted = result.accepted;
          return result.map;
        });
        return `${accepted} field(s) at or above ${Math.round(message.min * 100)}% confidence accepted`;
      }
      case 'drop':
        return this.change((map) => dropField(map, message, message.reason));
      case 'edit':
        return this.change((map) => editField(map, message, message.target, message.transform));
      case 'setEnabled':
        return this.change((map) => setObjectEnabled(map, message.object, message.enabled));
      case 'setValueMap':
        return this.change((map) => setGlobalValueMap(map, message.entry));
      case 'setTicketDestination':
        return this.change((map) => setTicketDestination(map, message.department, message.destination));
      case 'setTicketState':
        return this.change((map) => setTicketState(map, message.status, message.state));
      case 'setTicketAttribute':
        return this.change((map) => setTicketAttribute(map, message.ticketType, message.name, message.attribute));
      case 'addTicketAttribute':
        return this.change((map) => addTicketAttribute(map, message.ticketType, message.attribute));
      case 'removeTicketAttribute':
        return this.change((map) => removeTicketAttribute(map, message.ticketType, message.name));
      case 'previewTicket':
        return this.previewTicket(message.department, message.requestId);
      case 'confirm':
        return this.confirm(message.level);
      case 'preview':
        return this.preview(message.object, message.count, message.requestId);
      case 'runSample':
        return this.runSample(message.requestId);
      case 'loadSampleResults':
        return this.loadSampleResults(undefined, message.requestId);
      case 'openLink':
        await vscode.env.openExternal(vscode.Uri.parse(message.url));
        return;
      case 'openAsText':
        await vscode.commands.executeCommand('vscode.openWith', this.document.uri, 'default');
        return;
    }
  }

  private map(): MappingFile {
    return parseMappingText(this.document.getText(), vscode.workspace.asRelativePath(this.document.uri));
  }

  /** Replaces the document's text with the edited map: one undoable edit, saved at once when `save`. */
  private async change(edit: (map: MappingFile) => MappingFile, save = false): Promise<void> {
    const current = this.map();
    const edited = edit(current);
    const next = mappingText(edited);
    if (next !== this.document.getText()) {
      const whole = new vscode.Range(
        this.document.positionAt(0),
        this.document.positionAt(this.document.getText().length),
      );
      const workspaceEdit = new vscode.WorkspaceEdit();
      workspaceEdit.replace(this.document.uri, whole, next);
      if (!(await vscode.workspace.applyEdit(workspaceEdit)))
        throw new Error('VS Code refused the edit of mapping.json');
    }
    if (save && this.document.isDirty && !(await this.document.save()))
      throw new Error('mapping.json could not be saved');
    await this.postState();
    // One click on Drop or Edit can undo an approval that took a review: it is said where the click was.
    const revoked = revokedConfirmation(current, edited);
    if (revoked) await this.post({ type: 'notice', level: 'warning', message: revoked });
  }

  private async confirm(level: 'reviewed' | 'approved'): Promise<void> {
    const stamped = await askToConfirmMap(this.ctx, this.map(), level);
    if (!stamped) return;
    // A confirmation is a decision, not a draft: it reaches the disk before the editor shows it.
    await this.change(() => stamped, true);
    this.ctx.log.info(
      `mapping.json is ${effectiveStatus(stamped)} by ${stamped.review[level]?.by ?? ''} (content ${contentHash(stamped).slice(0, 12)})`,
    );
    await this.ctx.refreshViews();
  }

  private async preview(object: MappedObject, count: number, requestId?: number): Promise<void> {
    await this.post({ type: 'busy', task: `Reading ${count} ${object} record(s) from SmarterTrack…` });
    const asked = requestId === undefined ? {} : { requestId };
    try {
      const { readPreviewInputs } = await import('./editor-data');
      this.previewInputs.set(object, await readPreviewInputs(this.ctx, object, count));
      await this.postPreview(object, asked);
    } catch (error) {
      await this.post({ ...asked, type: 'preview', object, records: [], error: messageOf(error) });
    } finally {
      await this.post({ type: 'busy', task: null });
    }
  }

  private async previewTicket(department: string, requestId?: number): Promise<void> {
    await this.post({ type: 'busy', task: `Reading a ticket of department ${department} from SmarterTrack…` });
    const asked = requestId === undefined ? {} : { requestId };
    try {
      const { readDepartmentTicket } = await import('./editor-data');
      this.departmentTickets.set(department, await readDepartmentTicket(this.ctx, Number(department)));
      await this.postTicketPreview(department, asked);
    } catch (error) {
      await this.post({ ...asked, type: 'ticketPreview', department, preview: null, error: messageOf(error) });
    } finally {
      await this.post({ type: 'busy', task: null });
    }
  }

  private async postTicketPreview(department: string, asked: { requestId?: number } = {}): Promise<void> {
    if (!this.departmentTickets.has(department)) return;
    const sample = this.departmentTickets.get(department);
    let map: MappingFile;
    try {
      map = this.map();
    } catch {
      return; // the state message already says what is wrong with the file
    }
    const preview = sample ? previewTicket(map, department, sample) : null;
    const error = sample
      ? preview
        ? null
        : 'This department goes to conversations: choose a ticket type to preview its tickets.'
      : 'This department has no ticket to preview.';
    await this.post({ ...asked, type: 'ticketPreview', department, preview, error });
  }

  /** Every preview the editor holds, recomputed for the current map. */
  private async postPreviews(): Promise<void> {
    for (const object of this.previewInputs.keys()) await this.postPreview(object);
    for (const department of this.departmentTickets.keys()) await this.postTicketPreview(department);
  }

  private async postPreview(object: MappedObject, asked: { requestId?: number } = {}): Promise<void> {
    const inputs = this.previewInputs.get(object);
    if (!inputs) return;
    let map: MappingFile;
    try {
      map = this.map();
    } catch {
      return; // the state message already says what is wrong with the file
    }
    const { previewMessageRecords } = await import('./editor-data');
    await this.post({
      ...asked,
      type: 'preview',
      object,
      records: previewMessageRecords(object, map, inputs),
      error: null,
    });
  }

  private async runSample(requestId?: number): Promise<void> {
    if (this.document.isDirty) await this.document.save();
    const result = await vscode.commands.executeCommand<{ runId: string } | undefined>('st2ic.runSample');
    if (result?.runId) await this.loadSampleResults(result.runId, requestId);
  }

  private async loadSampleResults(runId?: string, requestId?: number): Promise<void> {
    await this.post({ type: 'busy', task: 'Reading the sample run back from Intercom…' });
    const asked = requestId === undefined ? {} : { requestId };
    try {
      const { sampleResultsOf } = await import('./editor-data');
      const results = await sampleResultsOf(this.ctx, this.map(), runId);
      // Kept without the request id: a reloaded webview gets it back as news, not as an answer.
      this.lastSample = {
        type: 'sampleResults',
        results: results ?? null,
        error: results ? null : 'No sample run yet: run a sample to see its results here.',
      };
      await this.post({ ...this.lastSample, ...asked });
    } catch (error) {
      await this.post({ ...asked, type: 'sampleResults', results: null, error: messageOf(error) });
    } finally {
      await this.post({ type: 'busy', task: null });
    }
  }

  private stateSoon(): void {
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.stateTimer = setTimeout(() => {
      void this.postState().then(() => this.postPreviews());
    }, 50);
  }

  private async postState(): Promise<void> {
    if (!this.ready) return;
    await this.post({ type: 'state', state: await this.state() });
  }

  private async state(): Promise<EditorState> {
    const targets = await this.targetCatalog();
    const teams = await this.workspaceTeams();
    const conflicts = {} as Record<MappedObject, number[]>;
    let map: MappingFile | undefined;
    let error: string | null = null;
    try {
      map = this.map();
    } catch (e) {
      error = messageOf(e);
    }
    for (const object of OBJECTS) conflicts[object] = map ? [...conflictingFields(map, object)] : [];
    return {
      map: map ?? null,
      error,
      status: map ? effectiveStatus(map) : 'draft',
      claimed: map?.review.status ?? 'draft',
      hash: map ? contentHash(map) : '',
      reviewed: map?.review.reviewed ?? null,
      approved: map?.review.approved ?? null,
      dirty: this.document.isDirty,
      targets,
      lowConfidence: LOW_CONFIDENCE,
      conflicts,
      teams,
      ticketProblems: map ? ticketDestinationProblems(map) : [],
      ticketSources: map ? ticketAttributeSources(map) : [],
    };
  }

  /** Built-in fields, plus the workspace's own attributes when Intercom is connected (asked once). */
  private async targetCatalog(): Promise<TargetCatalog> {
    if (!this.attributes) {
      const { workspaceAttributes } = await import('./editor-data');
      const existing = await workspaceAttributes(this.ctx).catch(() => []);
      const catalog = {} as TargetCatalog;
      for (const object of OBJECTS) {
        catalog[object] = {
          standard: STANDARD_FIELDS[object]
            .filter((f) => !f.reserved)
            .map((f) => ({ name: f.name, type: f.type, ...(f.maxLength ? { maxLength: f.maxLength } : {}) })),
          attributes: existing
            .filter((a) => a.objects.includes(object))
            .map((a) => ({ name: a.name, dataType: a.dataType })),
        };
      }
      this.attributes = catalog;
    }
    return this.attributes;
  }

  /** For the Teams value map: picked from the workspace, not typed (null: Intercom not connected or unreadable). */
  private async workspaceTeams(): Promise<{ id: string; name: string }[] | null> {
    if (this.teams === undefined) {
      const { workspaceTeams } = await import('./editor-data');
      this.teams = await workspaceTeams(this.ctx).catch(() => null);
    }
    return this.teams;
  }

  private async post(message: HostMessage): Promise<void> {
    // Checked on the way out too: the webview trusts nothing, and neither does this side.
    const checked = HostMessage.parse(message);
    if (this.keepPosted) {
      this.posted.push(checked);
      if (this.posted.length > 500) this.posted.splice(0, this.posted.length - 500);
    }
    await this.panel.webview.postMessage(checked);
  }
}
