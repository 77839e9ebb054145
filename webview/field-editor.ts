import type { FieldMapping, MappedObject, MappingTarget, Transform } from '../src/model/mapping';
import type { TargetCatalog } from '../src/model/mapping-editor-messages';
import { sourceFieldName } from '../src/model/source-field-name';
import { button, h, select, textfield } from './dom';

/** What the inline editor of one field produces: a target and a transform (checked again by the host). */
export interface FieldEdit {
  target: MappingTarget;
  transform: Transform;
}

const KINDS = [
  { value: 'standard', label: 'Intercom field' },
  { value: 'attribute', label: 'Custom attribute' },
  { value: 'tag', label: 'Tag' },
  { value: 'note', label: 'Note' },
  { value: 'team', label: 'Team (assignment)' },
  { value: 'drop', label: 'Do not migrate' },
];
const DATA_TYPES = ['string', 'integer', 'float', 'boolean', 'datetime'].map((v) => ({ value: v, label: v }));
const TRANSFORMS = [
  'none',
  'string',
  'checkbox-to-boolean',
  'date-to-datetime',
  'integer-to-number',
  'html-to-text',
  'value-map',
].map((v) => ({ value: v, label: v }));
const OVERFLOW = [
  { value: 'trim', label: 'cut, and report it' },
  { value: 'note', label: 'cut; keep the whole value in a note' },
  { value: 'fail', label: 'fail the record' },
];
const INVALID = [
  { value: 'fail', label: 'fail the record' },
  { value: 'note', label: 'keep it in a note, go on' },
];

/** "source = target" lines ⇄ a value map. */
function valueMapText(values: Transform['values']): string {
  return Object.entries(values ?? {})
    .map(([k, v]) => `${k} = ${v === null ? '' : String(v)}`)
    .join('\n');
}

function parseValueMapText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

function defaultTarget(
  kind: MappingTarget['kind'],
  field: FieldMapping,
  catalog: TargetCatalog[MappedObject],
): MappingTarget {
  switch (kind) {
    case 'standard':
      return { kind, field: catalog.standard[0]?.name ?? 'title' };
    case 'attribute':
      return { kind, name: sourceFieldName(field.source, field.label), dataType: 'string', create: true };
    case 'tag':
      return { kind, prefix: '' };
    case 'note':
      return { kind, label: sourceFieldName(field.source, field.label) };
    case 'team':
      return { kind };
    case 'drop':
      return { kind, reason: '' };
  }
}

/** A new edit of one field starts from its current target and transform. */
export function draftOf(field: FieldMapping): FieldEdit {
  return { target: structuredClone(field.target), transform: structuredClone(field.transform) };
}

/** The inline form that edits one field; it changes `edit` in place (the draft outlives a redraw) and `save` gets it. */
export function fieldEditor(
  field: FieldMapping,
  edit: FieldEdit,
  catalog: TargetCatalog[MappedObject],
  save: (edit: FieldEdit) => void,
  cancel: () => void,
): HTMLElement {
  const form = h('div', {
    class: 'field-editor',
    role: 'group',
    'aria-label': `Edit ${sourceFieldName(field.source, field.label)}`,
  });
  const targetBox = h('div', { class: 'editor-row' });
  const transformBox = h('div', { class: 'editor-row' });

  const renderTarget = () => {
    targetBox.replaceChildren(
      h('span', { class: 'editor-label' }, 'Target'),
      select(
        'Target kind',
        KINDS,
        edit.target.kind,
        (kind) => {
          edit.target = defaultTarget(kind as MappingTarget['kind'], field, catalog);
          renderTarget();
        },
        { 'data-role': 'target-kind' },
      ),
      ...targetDetails(),
    );
  };
  const targetDetails = (): HTMLElement[] => {
    const t = edit.target;
    switch (t.kind) {
      case 'standard':
        return [
          select(
            'Intercom field',
            catalog.standard.map((f) => ({
              value: f.name,
              label: f.maxLength ? `${f.name} (≤ ${f.maxLength})` : f.name,
            })),
            t.field,
            (v) => (t.field = v),
          ),
        ];
      case 'attribute': {
        const known = catalog.attributes.map((a) => a.name);
        return [
          textfield('Attribute name', t.name, (v) => (t.name = v.trim()), {
            'data-role': 'attribute-name',
            'data-focus': 'edit:attribute-name',
            placeholder: known.length ? `e.g. ${known[0]}` : 'Attribute name',
          }),
          select('Data type', DATA_TYPES, t.dataType, (v) => (t.dataType = v as typeof t.dataType)),
          h(
            'vscode-checkbox',
            { checked: t.create, onchange: (e: Event) => (t.create = (e.target as HTMLInputElement).checked) },
            'create when missing',
          ),
        ];
      }
      case 'tag':
        return [
          textfield('Tag prefix', t.prefix, (v) => (t.prefix = v), {
            'data-focus': 'edit:tag-prefix',
            placeholder: 'prefix, e.g. "priority: "',
          }),
        ];
      case 'note':
        return [textfield('Note label', t.label, (v) => (t.label = v), { 'data-focus': 'edit:note-label' })];
      case 'drop':
        return [
          textfield('Why it is not migrated', t.reason, (v) => (t.reason = v), {
            'data-focus': 'edit:reason',
            placeholder: 'reason',
          }),
        ];
      case 'team':
        return [h('span', { class: 'muted' }, 'chooses the team through the Teams value map')];
    }
  };
  const renderTransform = () => {
    const t = edit.transform;
    transformBox.replaceChildren(
      h('span', { class: 'editor-label' }, 'Transform'),
      select('Transform', TRANSFORMS, t.kind, (v) => {
        t.kind = v as Transform['kind'];
        renderTransform();
      }),
      textfield(
        'Longest value',
        t.maxLength ? String(t.maxLength) : '',
        (v) => {
          const n = Number.parseInt(v, 10);
          t.maxLength = Number.isFinite(n) && n > 0 ? n : undefined;
        },
        { placeholder: 'max length', type: 'number', class: 'narrow', 'data-focus': 'edit:max-length' },
      ),
      h('span', { class: 'editor-label' }, 'Too long'),
      select('When a value is too long', OVERFLOW, t.overflow, (v) => (t.overflow = v as Transform['overflow'])),
      h('span', { class: 'editor-label' }, 'Not convertible'),
      select('When a value cannot be converted', INVALID, t.invalid, (v) => (t.invalid = v as Transform['invalid'])),
      ...(t.kind === 'value-map'
        ? [
            h('vscode-textarea', {
              'aria-label': 'Value map, one "source = target" per line',
              placeholder: 'source = target, one per line',
              value: valueMapText(t.values),
              rows: 4,
              oninput: (e: Event) => (t.values = parseValueMapText((e.target as HTMLTextAreaElement).value)),
            }),
            textfield(
              'Fallback for unmapped values',
              t.fallback === undefined || t.fallback === null ? '' : String(t.fallback),
              (v) => (t.fallback = v === '' ? undefined : v),
              { placeholder: 'fallback (empty: the record fails)', 'data-focus': 'edit:fallback' },
            ),
          ]
        : []),
    );
  };
  renderTarget();
  renderTransform();
  form.append(
    targetBox,
    transformBox,
    h(
      'div',
      { class: 'editor-actions' },
      button('Save', () => save(edit), { 'data-role': 'save-edit' }),
      button('Cancel', cancel, { secondary: true }),
    ),
  );
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') cancel();
  });
  return form;
}
