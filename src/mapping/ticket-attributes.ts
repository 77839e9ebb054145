import { MAX_ATTRIBUTE_STRING } from '../model/intercom-limits';
import { customFieldIdOf, type TicketTypeAttribute } from '../model/mapping';
import { applyTransform, type MappedValue } from './transforms';

/** The transform that turns a source value into what a ticket attribute of this Intercom type takes. */
const TRANSFORM = {
  string: 'string',
  list: 'string',
  integer: 'integer-to-number',
  decimal: 'integer-to-number',
  boolean: 'checkbox-to-boolean',
  datetime: 'date-to-datetime',
} as const;

/** A ticket's fields as the map reads them: the record (with derived names) and its custom field values. */
export interface TicketAttributeInput {
  record: Record<string, unknown>;
  customValues?: ReadonlyMap<number, string | null> | undefined;
}

export interface TicketAttributeValue {
  /** What Intercom takes: text, a list option's label, a number, a boolean, Unix seconds; null when the source is empty. */
  value: MappedValue;
  /** Why the value cannot be sent (not a number, not one of the list's options…). */
  issue: string | null;
  /** A text cut to Intercom's attribute limit: the whole value. */
  cut?: { original: string; maxLength: number };
}

/** One attribute's value for one ticket, checked against the attribute's Intercom type. */
export function ticketAttributeValue(
  attribute: TicketTypeAttribute,
  input: TicketAttributeInput,
): TicketAttributeValue {
  const fieldId = customFieldIdOf(attribute.source);
  const raw = fieldId !== null ? input.customValues?.get(fieldId) : input.record[attribute.source];
  if (raw === null || raw === undefined || raw === '') return { value: null, issue: null };
  const result = applyTransform(raw, {
    kind: TRANSFORM[attribute.dataType],
    overflow: 'trim',
    invalid: 'fail',
    ...(attribute.dataType === 'string' ? { maxLength: MAX_ATTRIBUTE_STRING } : {}),
  });
  if (result.error) return { value: null, issue: result.error };
  const value = result.value;
  if (attribute.dataType === 'integer' && typeof value === 'number' && !Number.isInteger(value))
    return { value, issue: `${value} is not a whole number` };
  if (attribute.dataType === 'list' && typeof value === 'string' && !attribute.options.includes(value))
    return { value, issue: `"${value}" is not one of the list's options` };
  return {
    value,
    issue: null,
    ...(result.overflow ? { cut: { original: result.overflow.original, maxLength: result.overflow.maxLength } } : {}),
  };
}
