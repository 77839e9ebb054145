import { isEmailAddress } from '../model/email';
import type { CutValue } from '../model/journal';
import {
  customFieldIdOf,
  type FieldMapping,
  type MappedObject,
  type ObjectMapping,
  targetLabel,
} from '../model/mapping';
import { cleanText } from './clean-text';
import { MAX_ATTRIBUTE_STRING, standardField } from './targets';
import { applyTransform, type MappedValue } from './transforms';

export interface FieldIssue {
  /** The source field (`email`, `custom:12`). */
  source: string;
  /** Where it was going, readable: `email`, `attribute "Product"`. */
  target: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface FieldOutcome {
  source: string;
  label: string;
  target: string;
  raw: unknown;
  mapped: MappedValue | undefined;
  /** The whole value of a field cut (overflow "note") or not convertible (invalid "note"): it travels as a note so nothing is lost. */
  overflowNote?: string;
  /** Set when the value was cut to the target's limit. */
  cut?: { length: number; limit: number; keptInNote: boolean };
  issues: FieldIssue[];
}

/** A source record after its object's field map: what the payload builders turn into requests. */
export interface MappedRecord {
  standard: Record<string, MappedValue>;
  attributes: Record<string, MappedValue>;
  tags: string[];
  notes: { label: string; text: string }[];
  /** Raw values that select a team through valueMaps.teams. */
  teamKeys: string[];
  fields: FieldOutcome[];
  issues: FieldIssue[];
}

/**
 * `{ cut }` for a record's journal entry when any value was cut, else nothing. `notesWritten: false`
 * for objects whose notes the run does not write (contacts, companies): no cut value is kept whole then.
 */
export function cutOf(record: MappedRecord, notesWritten = true): { cut?: CutValue[] } {
  const cut = cutValues(record).map((c) => (notesWritten ? c : { ...c, keptInNote: false }));
  return cut.length ? { cut } : {};
}

/** The values of a mapped record that were cut, named by source field: journaled with the record. */
export function cutValues(record: MappedRecord): CutValue[] {
  return record.fields.flatMap((f) =>
    f.cut && !f.issues.some((i) => i.severity === 'error') ? [{ field: f.source, ...f.cut }] : [],
  );
}

export function hasErrors(record: { issues: FieldIssue[] }): boolean {
  return record.issues.some((i) => i.severity === 'error');
}

export { isEmailAddress };

/** Reads a source value: a canonical record property, or a custom field value by id. */
function sourceValue(
  record: Record<string, unknown>,
  customValues: ReadonlyMap<number, string | null>,
  source: string,
): unknown {
  const fieldId = customFieldIdOf(source);
  if (fieldId !== null) return customValues.get(fieldId) ?? null;
  return record[source];
}

/** Applies one object's field map to a record. Pure: no I/O, same input → same output. */
export function applyObjectMapping(
  object: MappedObject,
  map: ObjectMapping,
  record: Record<string, unknown>,
  customValues: ReadonlyMap<number, string | null> = new Map(),
): MappedRecord {
  const out: MappedRecord = { standard: {}, attributes: {}, tags: [], notes: [], teamKeys: [], fields: [], issues: [] };
  for (const mapping of map.fields) {
    const outcome = applyField(object, mapping, sourceValue(record, customValues, mapping.source));
    out.fields.push(outcome);
    out.issues.push(...outcome.issues);
    if (outcome.overflowNote !== undefined && !outcome.issues.some((i) => i.severity === 'error'))
      out.notes.push({ label: outcome.label, text: outcome.overflowNote });
    // An empty value writes nothing: Intercom's schemas refuse explicit nulls (e.g. company website).
    if (outcome.mapped === undefined || outcome.mapped === null || outcome.issues.some((i) => i.severity === 'error'))
      continue;
    const value = outcome.mapped;
    const t = mapping.target;
    switch (t.kind) {
      case 'standard':
        out.standard[t.field] = value;
        break;
      case 'attribute':
        out.attributes[t.name] = value;
        break;
      case 'tag':
        if (value !== null && value !== '') out.tags.push(`${t.prefix}${String(value)}`);
        break;
      case 'note':
        if (value !== null && value !== '') out.notes.push({ label: t.label || outcome.label, text: String(value) });
        break;
      case 'team':
        if (value !== null && value !== '') out.teamKeys.push(String(value));
        break;
      case 'drop':
        break;
    }
  }
  return out;
}

function applyField(object: MappedObject, mapping: FieldMapping, raw: unknown): FieldOutcome {
  const target = targetLabel(mapping);
  const label = mapping.label ?? mapping.source;
  const outcome: FieldOutcome = { source: mapping.source, label, target, raw, mapped: undefined, issues: [] };
  const issue = (severity: FieldIssue['severity'], message: string) =>
    outcome.issues.push({ source: mapping.source, target, severity, message });
  if (mapping.target.kind === 'drop') return outcome;

  let input = raw;
  if (typeof input === 'string') {
    const cleaned = cleanText(input);
    if (cleaned.changed)
      issue('warning', 'control characters (NUL and the like) or unpaired surrogates were removed; the rest is kept');
    input = cleaned.text;
  }
  // An email is validated as sent: without the spaces a form kept around it.
  if (
    typeof input === 'string' &&
    mapping.target.kind === 'standard' &&
    standardField(object, mapping.target.field)?.type === 'email'
  )
    input = input.trim();
  if ((input === null || input === undefined || input === '') && mapping.default !== undefined) input = mapping.default;
  if (input === null || input === undefined || (input === '' && mapping.target.kind !== 'standard')) {
    outcome.mapped = null;
    return outcome;
  }

  const transform = { ...mapping.transform };
  const limit = targetMaxLength(object, mapping);
  if (limit !== undefined && (transform.maxLength === undefined || transform.maxLength > limit))
    transform.maxLength = limit;
  const result = applyTransform(input, transform);
  if (result.error) {
    if (transform.invalid === 'note' && typeof input === 'string') {
      issue('warning', `${result.error}; kept in a note instead`);
      outcome.overflowNote = input;
      outcome.mapped = undefined;
      return outcome;
    }
    issue('error', result.error);
    return outcome;
  }
  if (result.overflow) {
    const { length, maxLength, original } = result.overflow;
    issue(
      'warning',
      `value is ${length} characters; cut to ${maxLength}${transform.overflow === 'note' ? ', whole value kept in a note' : ''}`,
    );
    if (transform.overflow === 'note') outcome.overflowNote = original;
    outcome.cut = { length, limit: maxLength, keptInNote: transform.overflow === 'note' };
  }
  const typeError = checkTargetType(object, mapping, result.value);
  if (typeError) {
    issue('error', typeError);
    return outcome;
  }
  outcome.mapped = result.value;
  return outcome;
}

function targetMaxLength(object: MappedObject, mapping: FieldMapping): number | undefined {
  const t = mapping.target;
  if (t.kind === 'standard') return standardField(object, t.field)?.maxLength;
  if (t.kind === 'attribute' && t.dataType === 'string') return MAX_ATTRIBUTE_STRING;
  return undefined;
}

function checkTargetType(object: MappedObject, mapping: FieldMapping, value: MappedValue): string | null {
  if (value === null) return null;
  const t = mapping.target;
  if (t.kind === 'standard') {
    const field = standardField(object, t.field);
    if (!field) return `"${t.field}" is not an Intercom ${object} field`;
    if (field.reserved) return `"${t.field}" is set by the migration itself and cannot be mapped`;
    switch (field.type) {
      case 'email':
        return typeof value === 'string' && isEmailAddress(value)
          ? null
          : `"${String(value)}" is not a valid email address`;
      case 'datetime':
      case 'integer':
        return Number.isInteger(value)
          ? null
          : `expected a whole number${field.type === 'datetime' ? ' (Unix seconds)' : ''}, got ${JSON.stringify(value)}`;
      case 'float':
        return typeof value === 'number' ? null : `expected a number, got ${JSON.stringify(value)}`;
      case 'boolean':
        return typeof value === 'boolean' ? null : `expected true or false, got ${JSON.stringify(value)}`;
      default:
        return typeof value === 'string' ? null : `expected text, got ${JSON.stringify(value)}`;
    }
  }
  if (t.kind === 'attribute') {
    switch (t.dataType) {
      case 'string':
        return typeof value === 'string' ? null : `attribute "${t.name}" takes text, got ${JSON.stringify(value)}`;
      case 'integer':
      case 'datetime':
        return Number.isInteger(value)
          ? null
          : `attribute "${t.name}" takes a whole number, got ${JSON.stringify(value)}`;
      case 'float':
        return typeof value === 'number' ? null : `attribute "${t.name}" takes a number, got ${JSON.stringify(value)}`;
      case 'boolean':
        return typeof value === 'boolean'
          ? null
          : `attribute "${t.name}" takes true or false, got ${JSON.stringify(value)}`;
    }
  }
  return null;
}
