import {
  type MappingFile,
  type TicketDestination,
  ticketDestinationsOf,
  type TicketTypeAttribute,
  type TicketTypeDefinition,
} from '../src/model/mapping';
import type { EditorState, TicketPreview, WebviewMessage } from '../src/model/mapping-editor-messages';
import { type AttributeDraft, attributeOfDraft, draftOfAttribute } from './attribute-draft';
import { attributeEditor, attributeName } from './attribute-editor';
import { destinationChoices, destinationOfChoice } from './destination-choices';
import { button, h, select, textfield, valueText } from './dom';
import { recordCaptionText } from './record-caption';
import type { Ui } from './ui-state';

export type TicketPreviews = Record<string, { preview: TicketPreview | null; error: string | null }>;

const headRow = (...names: string[]) => h('thead', {}, h('tr', {}, ...names.map((n) => h('th', { scope: 'col' }, n))));

/** What the attributes' actions need of the page: the form's state, a redraw, and the way to the host. */
interface AttributeActions {
  ui: Pick<Ui, 'editingAttribute' | 'openTicketTypes'>;
  sources: EditorState['ticketSources'];
  render: () => void;
  send: (m: WebviewMessage) => void;
}

/** Focuses what a redraw just made (after the frame in which its element is first shown). */
function focusSoon(key: string): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-focus="${CSS.escape(key)}"]`)?.focus());
}

function attributeRow(type: TicketTypeDefinition, a: TicketTypeAttribute, act: AttributeActions): HTMLElement {
  const of = attributeName(type.name, a.name);
  const key = `attribute:${type.name}:${a.name}`;
  return h(
    'tr',
    { 'data-attribute': a.name },
    h('th', { scope: 'row' }, a.name),
    h('td', {}, a.dataType),
    h('td', {}, a.label ? `${a.label} (${a.source || 'none'})` : a.source || 'none'),
    h('td', {}, a.dataType === 'list' ? a.options.join(', ') || 'none' : '—'),
    h(
      'td',
      { class: 'row-actions' },
      button(
        'Edit',
        () => {
          act.ui.editingAttribute = draftOfAttribute(type.name, a);
          act.render();
          focusSoon('attribute-edit:name');
        },
        { secondary: true, 'aria-label': `Edit ${of}`, 'data-role': 'edit-attribute', 'data-focus': `${key}:edit` },
      ),
      button(
        'Remove',
        () => {
          act.send({ type: 'removeTicketAttribute', ticketType: type.name, name: a.name });
          focusSoon(`ticket-type:${type.name}:add`);
        },
        {
          secondary: true,
          'aria-label': `Remove ${of}`,
          'data-role': 'remove-attribute',
          'data-focus': `${key}:remove`,
        },
      ),
    ),
  );
}

function attributesTable(type: TicketTypeDefinition, act: AttributeActions): HTMLElement {
  const editing = act.ui.editingAttribute?.ticketType === type.name ? act.ui.editingAttribute : undefined;
  const addKey = `ticket-type:${type.name}:add`;
  const form = (draft: AttributeDraft) =>
    h(
      'tr',
      { class: 'editing' },
      h(
        'td',
        { colspan: 5 },
        attributeEditor(
          draft,
          act.sources,
          (done) => {
            act.ui.editingAttribute = undefined;
            const attribute = attributeOfDraft(done);
            act.send(
              done.original === null
                ? { type: 'addTicketAttribute', ticketType: type.name, attribute }
                : { type: 'setTicketAttribute', ticketType: type.name, name: done.original, attribute },
            );
            act.render();
            focusSoon(addKey);
          },
          () => {
            act.ui.editingAttribute = undefined;
            act.render();
            focusSoon(draft.original === null ? addKey : `attribute:${type.name}:${draft.original}:edit`);
          },
        ),
      ),
    );
  const rows = type.attributes.flatMap((a) => [
    attributeRow(type, a, act),
    editing?.original === a.name ? form(editing) : null,
  ]);
  // Kept open across redraws once opened, and while one of its attributes is being edited.
  const open = Boolean(editing) || act.ui.openTicketTypes.has(type.name);
  return h(
    'details',
    {
      class: 'ticket-type',
      open,
      ontoggle: (e: Event) => {
        if ((e.target as HTMLDetailsElement).open) act.ui.openTicketTypes.add(type.name);
        else act.ui.openTicketTypes.delete(type.name);
      },
    },
    h(
      'summary',
      {},
      `Ticket type "${type.name}" (${type.category}): ${type.attributes.length} attribute(s)`,
      type.proposal ? h('span', { class: 'muted' }, ` · ${type.proposal.reason}`) : null,
    ),
    h(
      'table',
      { class: 'value-map', 'aria-label': `Attributes of ticket type ${type.name}` },
      headRow('Attribute', 'Type', 'Source field', 'Options', 'Actions'),
      h('tbody', {}, ...rows, editing?.original === null ? form(editing) : null),
    ),
    editing?.original === null
      ? null
      : button(
          'Add attribute',
          () => {
            act.ui.editingAttribute = draftOfAttribute(type.name, undefined);
            act.render();
            focusSoon('attribute-edit:name');
          },
          {
            secondary: true,
            'aria-label': `Add an attribute to ticket type ${type.name}`,
            'data-role': 'add-attribute',
            'data-focus': addKey,
          },
        ),
  );
}

function previewCard(department: string, shown: TicketPreviews[string] | undefined): HTMLElement | null {
  if (!shown) return null;
  if (!shown.preview)
    return h('p', { class: 'muted', role: 'status' }, shown.error ?? `No ticket of department ${department}.`);
  const p = shown.preview;
  return h(
    'dl',
    { class: 'ticket-preview', 'aria-label': `Ticket preview of department ${department}` },
    h('dt', {}, 'Source'),
    h('dd', {}, recordCaptionText(p)),
    h('dt', {}, 'Type'),
    h('dd', {}, p.ticketType),
    h('dt', {}, 'Title'),
    h('dd', {}, valueText(p.title)),
    ...p.attributes.flatMap((a) => [
      h('dt', {}, `${a.name} (${a.dataType})`),
      h('dd', {}, valueText(a.value), a.issue ? h('span', { class: 'warning' }, ` · ${a.issue}`) : null),
    ]),
    h('dt', {}, 'State'),
    h(
      'dd',
      {},
      p.state ?? h('span', { class: 'warning' }, 'no state'),
      p.status ? h('span', { class: 'muted' }, ` (status ${p.status})`) : null,
    ),
  );
}

/**
 * Where each department's tickets land (conversation or an Intercom ticket type), the types' attributes,
 * the status → ticket state map, and a preview of one ticket per department sent to tickets.
 */
export function ticketsView(
  file: MappingFile,
  state: Pick<EditorState, 'ticketProblems' | 'ticketSources'>,
  ui: Pick<Ui, 'editingAttribute' | 'openTicketTypes' | 'ticketPreviews'>,
  render: () => void,
  send: (m: WebviewMessage) => void,
): HTMLElement {
  const problems = state.ticketProblems;
  const previews = ui.ticketPreviews;
  const act: AttributeActions = { ui, sources: state.ticketSources, render, send };
  const tickets = ticketDestinationsOf(file);
  const typeNames = tickets.ticketTypes.map((t) => t.name);
  const destinationSelect = (department: string, label: string, current: TicketDestination) => {
    const { choices, selected } = destinationChoices(typeNames, current);
    return select(`Tickets of ${label}`, choices, selected, (value) =>
      send({ type: 'setTicketDestination', department, destination: destinationOfChoice(value) }),
    );
  };
  const rows = Object.entries(tickets.departments).map(([id, entry]) => {
    const label = `${entry.name || 'Department'} (${id})`;
    return h(
      'tr',
      {},
      h('td', {}, label),
      h('td', {}, destinationSelect(id, label, entry.destination)),
      h(
        'td',
        {},
        entry.destination === 'conversation'
          ? null
          : button('Preview a ticket', () => send({ type: 'previewTicket', department: id }), {
              secondary: true,
              'aria-label': `Preview a ticket of ${label}`,
            }),
        previewCard(id, previews[id]),
      ),
    );
  });
  rows.push(
    h(
      'tr',
      {},
      h('td', {}, 'Other departments'),
      h('td', {}, destinationSelect('default', 'other departments', tickets.default)),
      h('td', {}),
    ),
  );
  const used = new Set(
    [tickets.default, ...Object.values(tickets.departments).map((d) => d.destination)].flatMap((d) =>
      d === 'conversation' ? [] : [d.ticketType],
    ),
  );
  const stateRows = Object.keys(file.valueMaps.ticketStatus).map((status) =>
    h(
      'tr',
      {},
      h('td', {}, status),
      h(
        'td',
        {},
        textfield(
          `Ticket state of status ${status}`,
          tickets.states[status] ?? '',
          (v) => send({ type: 'setTicketState', status, state: v.trim() || null }),
          { placeholder: 'state name, e.g. In progress' },
          'change',
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'tickets', 'aria-label': 'Tickets: conversation or Intercom ticket' },
    h('h2', {}, 'Tickets: conversation or Intercom ticket'),
    h(
      'p',
      { class: 'muted' },
      'Each department’s tickets become conversations unless a ticket type is chosen: then they become Intercom tickets of that type, with their thread, typed attributes and state. Runs create the missing types and attributes; a ticket state Intercom lacks must be created in its settings.',
    ),
    problems.length
      ? h(
          'ul',
          { class: 'problems', 'aria-label': 'Ticket destination problems' },
          ...problems.map((p) => h('li', { class: 'warning' }, p)),
        )
      : null,
    h(
      'table',
      { class: 'value-map', 'aria-label': 'Department → tickets land as' },
      h('caption', {}, 'Department → tickets land as'),
      headRow('Department', 'Lands as', 'Preview'),
      h('tbody', {}, ...rows),
    ),
    ...tickets.ticketTypes.filter((t) => used.has(t.name)).map((t) => attributesTable(t, act)),
    used.size
      ? null
      : h(
          'p',
          { class: 'muted' },
          tickets.ticketTypes.length
            ? `${tickets.ticketTypes.length} proposed ticket type(s): choose one above to see its attributes.`
            : 'This map has no ticket types yet: proposing the map again suggests one per department.',
        ),
    h(
      'table',
      { class: 'value-map', 'aria-label': 'Ticket status → Intercom ticket state' },
      h('caption', {}, 'Ticket status → Intercom ticket state (by the name Intercom shows)'),
      headRow('Source status', 'Ticket state'),
      h('tbody', {}, ...stateRows),
    ),
  );
}
