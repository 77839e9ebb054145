import { customFieldSource, FieldMapping, type FieldMappingInput } from '../model/mapping';
import type { CustomField } from '../model/source';
import { attributeNameFor } from './attribute-name';
import { MAX_ATTRIBUTE_STRING } from './targets';
import { toUnixSeconds } from './transforms';

/**
 * The deterministic proposer: a target, transform, confidence and reason for a custom field from its
 * SmarterTrack type, name and the shapes of sample values. The AI proposer refines these; without AI
 * these are the proposals people review.
 */
export function proposeCustomField(field: CustomField, samples: readonly string[]): FieldMapping {
  const proposal = proposeByType(field, samples);
  // A stray value (text in a number field after a transfer) must not sink a whole conversation.
  return FieldMapping.parse({ ...proposal, transform: { ...proposal.transform, invalid: 'note' } });
}

function proposeByType(field: CustomField, samples: readonly string[]): FieldMappingInput {
  const name = attributeNameFor(field.name, field.id);
  const values = samples.filter((s) => s.trim() !== '');
  const longest = values.reduce((m, v) => Math.max(m, v.length), 0);
  const base = { source: customFieldSource(field.id), label: field.name ?? `Field ${field.id}`, reviewed: false };
  const attr = (dataType: 'string' | 'integer' | 'float' | 'boolean' | 'datetime') =>
    ({ kind: 'attribute', name, dataType, create: true }) as const;
  const share = (test: (v: string) => boolean) =>
    values.length === 0 ? 1 : values.filter(test).length / values.length;

  switch (field.kind) {
    case 'checkbox':
      return {
        ...base,
        target: attr('boolean'),
        transform: { kind: 'checkbox-to-boolean', overflow: 'trim' },
        proposal: { by: 'heuristic', confidence: 0.9, reason: 'SmarterTrack checkbox field: a boolean attribute' },
      };
    case 'date': {
      const ok = share((v) => toUnixSeconds(v) !== null);
      return {
        ...base,
        target: attr('datetime'),
        transform: { kind: 'date-to-datetime', overflow: 'trim' },
        proposal: {
          by: 'heuristic',
          confidence: ok === 1 ? 0.85 : 0.5,
          reason:
            ok === 1
              ? 'date field; every sample parses as a date'
              : `date field, but ${Math.round((1 - ok) * 100)}% of samples do not parse`,
        },
      };
    }
    case 'number': {
      const numeric = share((v) => Number.isFinite(Number(v.replace(/,/g, ''))));
      const integral = share((v) => Number.isInteger(Number(v.replace(/,/g, ''))));
      return {
        ...base,
        target: attr(integral === 1 ? 'integer' : 'float'),
        transform: { kind: 'integer-to-number', overflow: 'trim' },
        proposal: {
          by: 'heuristic',
          confidence: numeric === 1 ? 0.85 : 0.45,
          reason:
            numeric === 1
              ? `number field; samples are ${integral === 1 ? 'whole numbers' : 'decimals'}`
              : 'number field, but some samples are not numbers',
        },
      };
    }
    case 'dropdown':
      return {
        ...base,
        target: attr('string'),
        transform: { kind: 'string', maxLength: MAX_ATTRIBUTE_STRING, overflow: 'note' },
        proposal: {
          by: 'heuristic',
          confidence: 0.8,
          reason: `drop-down with ${field.options.length} options: a text attribute keeps the chosen option`,
        },
      };
    case 'text':
    case 'textarea': {
      if (field.kind === 'textarea' || longest > MAX_ATTRIBUTE_STRING) {
        return {
          ...base,
          target: attr('string'),
          transform: { kind: 'string', maxLength: MAX_ATTRIBUTE_STRING, overflow: 'note' },
          proposal: {
            by: 'heuristic',
            confidence: 0.65,
            reason: `free text${longest > MAX_ATTRIBUTE_STRING ? ` up to ${longest} characters` : ''}: an attribute holds ${MAX_ATTRIBUTE_STRING}, longer values also go into a note`,
          },
        };
      }
      return {
        ...base,
        target: attr('string'),
        transform: { kind: 'string', maxLength: MAX_ATTRIBUTE_STRING, overflow: 'note' },
        proposal: { by: 'heuristic', confidence: 0.75, reason: 'short text field: a text attribute' },
      };
    }
    case 'unknown':
      return {
        ...base,
        target: attr('string'),
        transform: { kind: 'string', maxLength: MAX_ATTRIBUTE_STRING, overflow: 'note' },
        proposal: {
          by: 'heuristic',
          confidence: 0.3,
          reason: `unknown SmarterTrack data type ${field.dataType}: kept as text; check the values`,
        },
      };
  }
}
