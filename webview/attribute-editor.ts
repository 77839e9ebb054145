import type { EditorState } from '../src/model/mapping-editor-messages';
import { type AttributeDraft, chooseSource, DATA_TYPE_CHOICES, sourceChoices } from './attribute-draft';
import { button, h, select, textfield } from './dom';

/** How the form and the row's actions are named for a screen reader: `attribute Plan of ticket type Billing`. */
export function attributeName(ticketType: string, name: string | null): string {
  return name === null
    ? `new attribute of ticket type ${ticketType}`
    : `attribute ${name} of ticket type ${ticketType}`;
}

/**
 * The inline form that edits (or adds) one attribute of a ticket type. It changes `draft` in place, so
 * the edit outlives a redraw by a host message; `save` gets it, Cancel or Escape drop it.
 */
export function attributeEditor(
  draft: AttributeDraft,
  sources: EditorState['ticketSources'],
  save: (draft: AttributeDraft) => void,
  cancel: () => void,
): HTMLElement {
  const of = attributeName(draft.ticketType, draft.original);
  const form = h('div', {
    class: 'field-editor attribute-editor',
    role: 'group',
    'aria-label': draft.original === null ? `Add ${of}` : `Edit ${of}`,
  });
  const options = h('div', { class: 'editor-row' });
  const renderOptions = () =>
    options.replaceChildren(
      ...(draft.dataType === 'list'
        ? [
            h('span', { class: 'editor-label' }, 'Options'),
            textfield(`Options of ${of}, comma-separated`, draft.options, (v) => (draft.options = v), {
              'data-role': 'attribute-options',
              'data-focus': 'attribute-edit:options',
              placeholder: 'e.g. Free, Pro, Enterprise',
              class: 'wide',
            }),
          ]
        : []),
    );
  renderOptions();
  form.append(
    h(
      'div',
      { class: 'editor-row' },
      h('span', { class: 'editor-label' }, 'Name'),
      textfield(`Name of ${of}`, draft.name, (v) => (draft.name = v), {
        'data-role': 'attribute-name',
        'data-focus': 'attribute-edit:name',
        placeholder: 'Attribute name',
      }),
      h('span', { class: 'editor-label' }, 'Data type'),
      select(
        `Data type of ${of}`,
        DATA_TYPE_CHOICES,
        draft.dataType,
        (v) => {
          draft.dataType = v as AttributeDraft['dataType'];
          renderOptions();
        },
        { 'data-role': 'attribute-type', 'data-focus': 'attribute-edit:type' },
      ),
    ),
    h(
      'div',
      { class: 'editor-row' },
      h('span', { class: 'editor-label' }, 'Source field'),
      select(
        `Source field of ${of}`,
        sourceChoices(sources, draft.source),
        draft.source,
        (v) => chooseSource(draft, v, sources),
        { 'data-role': 'attribute-source', 'data-focus': 'attribute-edit:source' },
      ),
    ),
    options,
    h(
      'div',
      { class: 'editor-actions' },
      button('Save', () => save(draft), { 'data-role': 'save-attribute', 'data-focus': 'attribute-edit:save' }),
      button('Cancel', cancel, { secondary: true, 'data-focus': 'attribute-edit:cancel' }),
    ),
  );
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') cancel();
  });
  return form;
}
