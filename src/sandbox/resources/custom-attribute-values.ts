import { MAX_ATTRIBUTE_STRING } from '../../model/intercom-limits';
import { ApiError } from '../http/errors';
import type { Store } from '../state/store';
import { withField } from './common';

/** The engine's own limit (src/model/intercom-limits.ts): the sandbox enforces what the run assumes. */
const MAX_STRING_VALUE = MAX_ATTRIBUTE_STRING;

function invalid(name: string, message: string): ApiError {
  return withField(new ApiError(400, 'parameter_invalid', message), `custom_attributes.${name}`);
}

/**
 * Checks values written to contact/company custom attributes: the attribute must exist (and not be
 * archived) before it is written, and the value must fit its data type. `null` clears a value.
 */
export function checkCustomAttributes(
  store: Store,
  model: 'contact' | 'company',
  raw: unknown,
): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw withField(new ApiError(400, 'parameter_invalid', 'custom_attributes must be an object'), 'custom_attributes');
  const values = raw as Record<string, unknown>;
  for (const [name, value] of Object.entries(values)) {
    const attribute = Object.values(store.state.dataAttributes).find(
      (a) => a.model === model && a.name === name && !a.archived,
    );
    if (!attribute) {
      throw withField(
        new ApiError(400, 'parameter_not_found', `Custom attribute '${name}' does not exist`),
        `custom_attributes.${name}`,
      );
    }
    if (value === null) continue;
    checkValue(name, attribute.data_type, value);
  }
  return values;
}

export function checkValue(name: string, dataType: string, value: unknown): void {
  switch (dataType) {
    case 'string':
    case 'options':
    case 'list':
      if (typeof value !== 'string') throw invalid(name, `Custom attribute '${name}' must be a string`);
      if (value.length > MAX_STRING_VALUE)
        throw invalid(name, `Custom attribute '${name}' is too long (maximum is ${MAX_STRING_VALUE} characters)`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw invalid(name, `Custom attribute '${name}' must be an integer`);
      return;
    case 'float':
    case 'decimal':
      if (typeof value !== 'number') throw invalid(name, `Custom attribute '${name}' must be a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(name, `Custom attribute '${name}' must be a boolean`);
      return;
    case 'date':
    case 'datetime':
      if (
        !(typeof value === 'number' && Number.isInteger(value)) &&
        !(typeof value === 'string' && !Number.isNaN(Date.parse(value)))
      ) {
        throw invalid(name, `Custom attribute '${name}' must be a Unix timestamp or an ISO 8601 date`);
      }
      return;
    case 'relationship':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number')) {
        throw invalid(name, `Custom attribute '${name}' must be a list of object ids`);
      }
      return;
    default:
      return;
  }
}
