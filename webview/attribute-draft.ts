// The edit of one ticket type attribute while its form is open, and the choices the form offers. Free
// of the DOM, so it is unit-tested; the host checks what is sent again, as the map's validation does.
import { TicketAttributeType, type TicketTypeAttribute } from '../src/model/mapping';
import type { EditorState } from '../src/model/mapping-editor-messages';
import { sourceFieldName } from '../src/model/source-field-name';

type TicketSource = EditorState['ticketSources'][number];

export interface AttributeDraft {
  ticketType: string;
  /** The attribute's name in the map; null while a new one is added. */
  original: string | null;
  name: string;
  dataType: TicketAttributeType;
  source: string;
  /** The source field's own label (a custom field's name), following the source chosen. */
  label: string | undefined;
  /** A list's options as typed: comma-separated. */
  options: string;
  description: string;
}

export const DATA_TYPE_CHOICES = TicketAttributeType.options.map((t) => ({ value: t, label: t }));

export function draftOfAttribute(ticketType: string, attribute: TicketTypeAttribute | undefined): AttributeDraft {
  return {
    ticketType,
    original: attribute?.name ?? null,
    name: attribute?.name ?? '',
    dataType: attribute?.dataType ?? 'string',
    source: attribute?.source ?? '',
    label: attribute?.label,
    options: attribute?.options.join(', ') ?? '',
    description: attribute?.description ?? '',
  };
}

/** `Free, Pro , ,Team` → the options Free, Pro and Team. */
export function optionsOfText(text: string): string[] {
  return text
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
}

/** A new source: the label is the new field's (a ticket's own field has none). */
export function chooseSource(draft: AttributeDraft, source: string, sources: readonly TicketSource[]): void {
  draft.source = source;
  draft.label = sources.find((s) => s.source === source)?.label;
}

/** The attribute the draft stands for, as the messages carry it. */
export function attributeOfDraft(draft: AttributeDraft): Omit<TicketTypeAttribute, 'proposal'> {
  return {
    name: draft.name.trim(),
    description: draft.description,
    dataType: draft.dataType,
    options: draft.dataType === 'list' ? optionsOfText(draft.options) : [],
    source: draft.source,
    ...(draft.label ? { label: draft.label } : {}),
  };
}

/**
 * The source fields to pick from, named as the field table names them ("Priority name", a custom
 * field's label), the property beside a name that differs. The draft's own source stays visible even
 * when it is none of them, so the select never shows another value than the file's.
 */
export function sourceChoices(sources: readonly TicketSource[], current: string): { value: string; label: string }[] {
  const choices = sources.map((s) => {
    const name = sourceFieldName(s.source, s.label);
    return { value: s.source, label: name === s.source ? name : `${name} (${s.source})` };
  });
  if (current === '') choices.unshift({ value: '', label: 'Choose a source field…' });
  else if (!sources.some((s) => s.source === current))
    choices.push({ value: current, label: `${current} (not among the known fields)` });
  return choices;
}
