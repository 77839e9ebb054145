// The mapping editor UI. It shows the map the host sends and asks the host for every change; it never
// writes the file itself. Every message in and out is checked against src/model schemas, and every
// piece of source data is put into the page as text.
import './lit-nonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

import { MappedObject, type MappingFile } from '../src/model/mapping';
import { type EditorState, HostMessage, WebviewMessage } from '../src/model/mapping-editor-messages';
import { append, button, focusInView, h, textfield } from './dom';
import { fieldTable } from './field-table';
import { PendingRequests } from './pending-requests';
import { previewView } from './preview-view';
import { sampleResultsView } from './sample-results-view';
import { ticketsView } from './tickets-view';
import type { Ui } from './ui-state';
import { valueMapsView } from './value-maps-view';

declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};
const vscode = acquireVsCodeApi();

const OBJECT_LABELS: Record<MappedObject, string> = {
  companies: 'Companies',
  contacts: 'Contacts',
  tickets: 'Tickets',
  liveChats: 'Live chats',
  callLogs: 'Call logs',
  kbArticles: 'KB articles',
};

const SHORT_TAB_LABELS: Partial<Record<string, string>> = { kbArticles: 'KB', valueMaps: 'Values', sample: 'Sample' };

const saved = (vscode.getState() ?? {}) as Partial<
  Pick<Ui, 'tab' | 'filter' | 'previewCount' | 'threshold' | 'seenSampleRun'>
>;
const ui: Ui = {
  state: undefined,
  map: undefined,
  tab: saved.tab ?? 'tickets',
  filter: saved.filter ?? 'all',
  editing: undefined,
  editingAttribute: undefined,
  openTicketTypes: new Set(),
  grid: {},
  previews: {},
  ticketPreviews: {},
  previewCount: saved.previewCount ?? 5,
  threshold: saved.threshold ?? 0.8,
  sample: undefined,
  sampleFilter: { differencesOnly: false, object: 'all', page: 0 },
  seenSampleRun: saved.seenSampleRun,
  busy: null,
  notice: undefined,
};

const requests = new PendingRequests();

/**
 * Every request to the host goes through its schema first: a bug here cannot send a malformed edit.
 * Each carries an id, so a refusal comes back addressed to it and is shown with the request's name.
 */
function send(message: WebviewMessage): void {
  const checked = WebviewMessage.safeParse(message.type === 'ready' ? message : requests.ask(message));
  if (!checked.success) {
    ui.notice = { level: 'error', message: `Not sent: ${checked.error.issues[0]?.message ?? 'invalid request'}` };
    render();
    return;
  }
  vscode.postMessage(checked.data);
}

/**
 * The host sends the state and the previews again after a change (its edit, then the document's own
 * change event): one that shows nothing new is not drawn again, since a redraw moves the keyboard
 * focus for a frame and a key pressed then would be lost.
 */
const lastShown = new Map<string, string>();
function unchanged(key: string, value: unknown): boolean {
  const text = JSON.stringify(value);
  if (lastShown.get(key) === text) return true;
  lastShown.set(key, text);
  return false;
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = HostMessage.safeParse(event.data);
  if (!parsed.success) return; // not ours, or malformed: ignored
  const message = parsed.data;
  switch (message.type) {
    case 'state': {
      if (unchanged('state', message.state)) return;
      ui.state = message.state;
      ui.map = message.state.map ?? undefined;
      break;
    }
    case 'preview':
      if (unchanged(`preview:${message.object}`, [message.records, message.error])) return;
      ui.previews[message.object] = { records: message.records, error: message.error };
      break;
    case 'ticketPreview':
      ui.ticketPreviews[message.department] = { preview: message.preview, error: message.error };
      break;
    case 'sampleResults': {
      ui.sample = { results: message.results, error: message.error };
      // A new run's results come to the front; the same results again (a reloaded webview) do not.
      const runId = ui.sample.results?.runId;
      if (runId !== ui.seenSampleRun) {
        ui.tab = 'sample';
        ui.sampleFilter.page = 0;
      }
      ui.seenSampleRun = runId;
      break;
    }
    case 'busy':
      ui.busy = message.task;
      break;
    case 'notice':
      ui.notice = { level: message.level, message: message.message };
      break;
    case 'reply': {
      const asked = requests.settle(message.requestId);
      if (message.error !== null)
        ui.notice = { level: 'error', message: asked ? `${asked}: ${message.error}` : message.error };
      else if (message.message) ui.notice = { level: 'info', message: message.message };
      // A plain "done" changes nothing on the page: no redraw, so the keyboard focus is left alone.
      else return;
      break;
    }
  }
  render();
});

function render(): void {
  vscode.setState({
    tab: ui.tab,
    filter: ui.filter,
    previewCount: ui.previewCount,
    threshold: ui.threshold,
    seenSampleRun: ui.seenSampleRun,
  });
  const active = document.activeElement as HTMLElement | null;
  // Focus still on the body means the last draw's focus is not back yet (two messages in one frame): keep what it wanted.
  if (active && active !== document.body)
    pendingFocus = {
      key: active.closest<HTMLElement>('[data-focus]')?.dataset.focus,
      grid: Boolean(active.closest('[role="grid"]')),
    };
  const app = document.getElementById('app');
  if (!app) return;
  app.replaceChildren(...view());
  keepClearOfToolbar();
  // After a frame: the tab panels and buttons just made are not shown, so not focusable, before their first update.
  if (pendingFocus) requestAnimationFrame(restoreFocus);
}

let pendingFocus: { key: string | undefined; grid: boolean } | undefined;
function restoreFocus(): void {
  const want = pendingFocus;
  pendingFocus = undefined;
  if (!want) return;
  const again = want.key ? document.querySelector<HTMLElement>(`[data-focus="${CSS.escape(want.key)}"]`) : null;
  if (again) again.focus();
  // A row action may be gone after its own message (Accept): the grid's tab stop takes the focus instead.
  else if (want.grid) {
    const stop = document.querySelector<HTMLElement>('[role="grid"] [data-grid-stop]');
    if (stop) focusInView(stop);
  }
}

/**
 * The sticky toolbar's height, and the field table's sticky header's, as the page's scroll padding:
 * what gets the focus is scrolled clear of both. Observed, not measured once: the buttons take their
 * size only after their first update, and both wrap with the width.
 */
const toolbarSize = new ResizeObserver(() => {
  const toolbar = document.querySelector<HTMLElement>('header.toolbar');
  const head = document.querySelector<HTMLElement>('table.fields thead');
  document.documentElement.style.setProperty('--sticky-height', `${toolbar?.offsetHeight ?? 0}px`);
  document.documentElement.style.setProperty('--table-head-height', `${head?.offsetHeight ?? 0}px`);
});
function keepClearOfToolbar(): void {
  toolbarSize.disconnect();
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('header.toolbar, table.fields thead')))
    toolbarSize.observe(el);
}

function view(): Node[] {
  const state = ui.state;
  if (!state) return [h('p', { class: 'muted' }, 'Loading the field map…')];
  const out: Node[] = [header(state)];
  if (ui.notice) {
    out.push(
      h(
        'div',
        { class: `notice ${ui.notice.level}`, role: ui.notice.level === 'info' ? 'status' : 'alert' },
        ui.notice.message,
        ' ',
        button(
          'Dismiss',
          () => {
            ui.notice = undefined;
            render();
          },
          { secondary: true },
        ),
      ),
    );
  }
  if (ui.busy) out.push(h('div', { class: 'busy', role: 'status' }, h('vscode-progress-ring', {}), ui.busy));
  if (!ui.map) {
    out.push(
      h(
        'div',
        { class: 'notice error', role: 'alert' },
        h('strong', {}, 'mapping.json cannot be shown: '),
        h('pre', {}, state.error ?? 'it does not match the mapping schema'),
      ),
    );
    out.push(button('Open as Text', () => send({ type: 'openAsText' })));
    return out;
  }
  out.push(tabs(ui.map, state));
  return out;
}

function header(state: EditorState): HTMLElement {
  const stale = state.claimed !== 'draft' && state.status !== state.claimed;
  const stamp = state.status === 'approved' ? state.approved : state.status === 'reviewed' ? state.reviewed : null;
  const map = ui.map;
  const fields = map ? Object.values(map.objects).flatMap((o) => (o.enabled ? o.fields : [])) : [];
  const unreviewed = fields.filter((f) => !f.reviewed).length;
  return h(
    'header',
    { class: 'toolbar' },
    h(
      'div',
      { class: 'status' },
      h('vscode-badge', { class: `status-${state.status}`, 'data-role': 'status' }, state.status),
      stamp ? h('span', {}, ` by ${stamp.by}, ${new Date(stamp.at).toLocaleString()}`) : null,
      state.hash ? h('span', { class: 'muted', title: state.hash }, ` · content ${state.hash.slice(0, 12)}`) : null,
      state.dirty ? h('span', { class: 'muted' }, ' · unsaved') : null,
      stale
        ? h('span', { class: 'warning', role: 'alert' }, ` · changed since it was ${state.claimed}: confirm it again`)
        : null,
      h('span', { class: 'muted' }, ` · ${fields.length - unreviewed} of ${fields.length} fields accepted`),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'label',
        { class: 'inline' },
        'Accept all at or above ',
        textfield(
          'Confidence threshold (percent)',
          String(Math.round(ui.threshold * 100)),
          (v) => {
            const n = Number(v);
            if (Number.isFinite(n) && n >= 0 && n <= 100) ui.threshold = n / 100;
          },
          { type: 'number', class: 'narrow', 'data-focus': 'threshold' },
        ),
        '%',
      ),
      button('Accept', () => send({ type: 'acceptAbove', object: 'all', min: ui.threshold }), {
        'data-role': 'accept-above',
        'data-focus': 'accept-above',
      }),
      button('Mark Reviewed', () => send({ type: 'confirm', level: 'reviewed' }), {
        secondary: true,
        'data-role': 'mark-reviewed',
      }),
      button('Approve…', () => send({ type: 'confirm', level: 'approved' }), { 'data-role': 'approve' }),
      button('Run Sample', () => send({ type: 'runSample' }), {
        secondary: true,
        'data-role': 'run-sample',
        disabled: state.status === 'draft',
      }),
      button('Open as Text', () => send({ type: 'openAsText' }), { secondary: true }),
    ),
  );
}

function tabs(map: MappingFile, state: EditorState): HTMLElement {
  const ids = [...MappedObject.options, 'valueMaps', 'sample'];
  const el = h('vscode-tabs', { 'selected-index': Math.max(0, ids.indexOf(ui.tab)) });
  for (const id of ids) {
    const object = MappedObject.safeParse(id);
    const unreviewed =
      object.success && map.objects[object.data].enabled
        ? map.objects[object.data].fields.filter((f) => !f.reviewed).length
        : 0;
    const label = object.success ? OBJECT_LABELS[object.data] : id === 'valueMaps' ? 'Value maps' : 'Sample results';
    // The tab strip cannot wrap: in a narrow editor the longest labels give way to short ones (the stylesheet picks).
    const short = SHORT_TAB_LABELS[id];
    const text = short
      ? [h('span', { class: 'wide-only' }, label), h('span', { class: 'narrow-only' }, short)]
      : [label];
    el.appendChild(
      h(
        'vscode-tab-header',
        { slot: 'header', 'data-tab': id },
        ...text,
        unreviewed ? h('vscode-badge', { variant: 'counter', slot: 'content-after' }, unreviewed) : null,
      ),
    );
    const panel = h('vscode-tab-panel', {});
    if (id === ui.tab) {
      if (object.success) append(panel, [objectPanel(map, state, object.data)]);
      else if (id === 'valueMaps')
        append(panel, [valueMapsView(map, send, state.teams), ticketsView(map, state, ui, render, send)]);
      else
        append(panel, [
          sampleResultsView(
            ui.sample,
            ui.sampleFilter,
            () => send({ type: 'loadSampleResults' }),
            (url) => send({ type: 'openLink', url }),
            render,
          ),
        ]);
    }
    el.appendChild(panel);
  }
  el.addEventListener('vsc-tabs-select', (e: Event) => {
    const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    const next = ids[index];
    if (next && next !== ui.tab) {
      ui.tab = next;
      ui.editing = undefined;
      ui.editingAttribute = undefined;
      render();
    }
  });
  return el;
}

function objectPanel(map: MappingFile, state: EditorState, object: MappedObject): HTMLElement {
  const preview = ui.previews[object];
  return h(
    'section',
    { class: 'object', 'aria-label': OBJECT_LABELS[object] },
    fieldTable(ui, map, state, object, render, send),
    previewView(object, preview, ui.previewCount, (count) => {
      ui.previewCount = count;
      send({ type: 'preview', object, count });
    }),
  );
}

render();
send({ type: 'ready' });
