import { type FieldMapping, type MappedObject, type MappingFile, targetLabel } from '../src/model/mapping';
import type { EditorState, WebviewMessage } from '../src/model/mapping-editor-messages';
import { sourceFieldName } from '../src/model/source-field-name';
import { actionsMenuButton, type MenuItem } from './actions-menu';
import { button, h, select } from './dom';
import { draftOf, fieldEditor } from './field-editor';
import { fieldNameNodes } from './field-name';
import { type MenuAction, rowActions } from './row-actions';
import { RowGrid } from './row-grid';
import type { Filter, Ui } from './ui-state';

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All fields' },
  { value: 'unreviewed', label: 'Not accepted yet' },
  { value: 'low', label: 'Low confidence' },
  { value: 'conflicts', label: 'Conflicts' },
];

/** The table's columns; Transform and Reason fold into the first cell when the editor is narrow. */
const COLUMNS = [
  { title: 'Source field' },
  { title: 'Target' },
  { title: 'Transform', class: 'transform' },
  { title: 'Confidence' },
  { title: 'Reason', class: 'reason' },
  { title: 'Status' },
  { title: 'Actions' },
];

function transformLabel(field: FieldMapping): string {
  const t = field.transform;
  const parts: string[] = [t.kind === 'none' ? '—' : t.kind];
  if (t.kind === 'value-map') parts.push(`${Object.keys(t.values ?? {}).length} value(s)`);
  if (t.maxLength)
    parts.push(
      `≤ ${t.maxLength}, ${t.overflow === 'note' ? 'rest in a note' : t.overflow === 'fail' ? 'else fail' : 'cut'}`,
    );
  if (t.invalid === 'note') parts.push('bad values to a note');
  return parts.join(' · ');
}

function confidenceCell(field: FieldMapping, low: number): HTMLElement {
  const c = field.proposal?.confidence;
  if (c === undefined) return h('td', { class: 'muted' }, '—');
  const level = c < low ? 'low' : c < 0.85 ? 'medium' : 'high';
  return h('td', { class: `confidence ${level}`, 'data-confidence': c }, `${Math.round(c * 100)}%`);
}

/** One object's fields: source → target, transform, confidence and reason, filterable, with row actions. */
export function fieldTable(
  ui: Ui,
  map: MappingFile,
  state: EditorState,
  object: MappedObject,
  render: () => void,
  send: (m: WebviewMessage) => void,
): HTMLElement {
  const objectMap = map.objects[object];
  const conflicts = new Set(state.conflicts[object] ?? []);
  const shown = objectMap.fields
    .map((field, index) => ({ field, index }))
    .filter(({ field, index }) => {
      switch (ui.filter) {
        case 'all':
          return true;
        case 'unreviewed':
          return !field.reviewed;
        case 'low':
          return (field.proposal?.confidence ?? 1) < state.lowConfidence;
        case 'conflicts':
          return conflicts.has(index);
      }
    });

  const toolbar = h(
    'div',
    { class: 'table-toolbar' },
    h(
      'vscode-checkbox',
      {
        checked: objectMap.enabled,
        'data-role': 'object-enabled',
        onchange: (e: Event) => send({ type: 'setEnabled', object, enabled: (e.target as HTMLInputElement).checked }),
      },
      'Migrate this object',
    ),
    select(
      'Show',
      FILTERS,
      ui.filter,
      (v) => {
        ui.filter = v as Filter;
        render();
      },
      { 'data-role': 'filter' },
    ),
    h('span', { class: 'muted' }, `${shown.length} of ${objectMap.fields.length} field(s)`),
    button(
      `Accept these fields ≥ ${Math.round(ui.threshold * 100)}%`,
      () => send({ type: 'acceptAbove', object, min: ui.threshold }),
      { secondary: true },
    ),
  );

  const body = h('tbody', {});
  const grid = new RowGrid(ui, object);
  for (const { field, index } of shown) {
    const ref = { object, index, source: field.source };
    const rowKey = `${object}:${index}`;
    const name = sourceFieldName(field.source, field.label);
    const flags = [
      conflicts.has(index)
        ? h('span', { class: 'flag conflict', title: 'another field feeds the same Intercom field' }, 'conflict')
        : null,
      field.reviewed
        ? h('span', { class: 'flag accepted' }, 'accepted')
        : h('span', { class: 'flag pending' }, 'to review'),
    ];
    // One button at most (Accept, in the secondary style: a column of them is not a wall of blue) and a
    // menu for the rest. The visible words stay short; the names say which field, for a screen reader.
    const offered = rowActions({ reviewed: field.reviewed, dropped: field.target.kind === 'drop' });
    const items: Record<MenuAction, MenuItem> = {
      edit: {
        label: 'Edit',
        name: `Edit ${name}`,
        role: 'edit',
        run: () => {
          ui.editing = { object, index, draft: draftOf(field) };
          render();
        },
      },
      drop: {
        label: 'Drop',
        name: `Drop ${name}`,
        role: 'drop',
        run: () => send({ type: 'drop', ...ref, reason: '' }),
      },
    };
    const actions = [
      offered.shown === 'accept'
        ? button('Accept', () => send({ type: 'accept', ...ref }), {
            secondary: true,
            'data-role': 'accept',
            'aria-label': `Accept ${name} → ${targetLabel(field)}`,
          })
        : null,
      actionsMenuButton(
        `More actions for ${name}`,
        offered.menu.map((a) => items[a]),
        { 'data-role': 'row-menu' },
      ),
    ];
    body.appendChild(
      h(
        'tr',
        { class: field.reviewed ? 'reviewed' : 'pending', 'data-source': field.source, 'data-row': rowKey },
        h(
          'th',
          { scope: 'row' },
          ...fieldNameNodes(field.source, field.label),
          // Shown instead of the Transform and Reason columns when the editor is narrow (the stylesheet picks one).
          h(
            'div',
            { class: 'folded muted' },
            `Transform: ${transformLabel(field)}`,
            field.proposal ? h('div', {}, `${field.proposal.by}: ${field.proposal.reason}`) : null,
          ),
        ),
        h(
          'td',
          { class: field.target.kind === 'drop' ? 'muted' : '' },
          targetLabel(field),
          field.target.kind === 'drop' && field.target.reason
            ? h('div', { class: 'muted' }, field.target.reason)
            : null,
        ),
        h('td', { class: 'transform' }, transformLabel(field)),
        confidenceCell(field, state.lowConfidence),
        h(
          'td',
          { class: 'reason' },
          field.proposal ? h('span', { class: `by by-${field.proposal.by}` }, field.proposal.by) : null,
          ' ',
          field.proposal?.reason ?? '',
        ),
        h('td', {}, ...flags),
        h('td', { class: 'row-actions' }, ...grid.addRow(rowKey, actions)),
      ),
    );
    if (ui.editing?.object === object && ui.editing.index === index) {
      body.appendChild(
        h(
          'tr',
          { class: 'editing' },
          h(
            'td',
            { colspan: 7 },
            fieldEditor(
              field,
              ui.editing.draft,
              state.targets[object] ?? { standard: [], attributes: [] },
              (edit) => {
                ui.editing = undefined;
                send({ type: 'edit', ...ref, target: edit.target, transform: edit.transform });
                render();
              },
              () => {
                ui.editing = undefined;
                render();
              },
            ),
          ),
        ),
      );
    }
  }

  return h(
    'div',
    {},
    toolbar,
    objectMap.enabled
      ? null
      : h('p', { class: 'warning' }, 'This object is switched off: its records are not migrated.'),
    grid.attach(
      h(
        'table',
        { class: 'fields', role: 'grid', 'aria-label': 'Field map' },
        h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col', class: c.class }, c.title)))),
        body,
      ),
    ),
    shown.length === 0 ? h('p', { class: 'muted' }, 'No field matches this filter.') : null,
  );
}
