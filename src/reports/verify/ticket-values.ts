import type { TicketTypeAttribute } from '../../model/mapping';
import { type Expected, typed } from './source-values';

/**
 * What an Intercom ticket attribute should hold for its source value, from the attribute's type in
 * the map (configuration, not code): a list holds the option the source value names, a datetime its
 * second, numbers and checkboxes their value, text the same text. Written apart from the transforms
 * in src/mapping, like ./source-values.ts, so a conversion bug there shows here as a difference.
 */
export function expectedTicketValue(
  attribute: Pick<TicketTypeAttribute, 'dataType' | 'options'>,
  raw: unknown,
): Expected {
  if (raw === null || raw === undefined) return { kind: 'unchecked' };
  if (typeof raw === 'number' && attribute.dataType === 'datetime')
    return { kind: 'value', value: Math.floor(raw > 1e11 ? raw / 1000 : raw) };
  const text = Array.isArray(raw) ? raw.map(String).join(', ') : String(raw);
  if (text.trim() === '') return { kind: 'unchecked' };
  switch (attribute.dataType) {
    case 'list': {
      // The option the source names, as the source spells it or in another case; none: nothing to predict.
      const wanted = text.trim();
      const option =
        attribute.options.find((o) => o === wanted) ??
        attribute.options.find((o) => o.trim().toLowerCase() === wanted.toLowerCase());
      return option === undefined ? { kind: 'unchecked' } : { kind: 'value', value: option };
    }
    case 'integer': {
      const n = typed(text, 'integer');
      return n.kind === 'value' && Number.isInteger(n.value) ? n : { kind: 'unchecked' };
    }
    case 'decimal':
      return typed(text, 'float');
    case 'boolean':
    case 'datetime':
    case 'string':
      return typed(text, attribute.dataType);
  }
}
