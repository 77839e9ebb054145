import type { MappedObject, ObjectMapping } from '../model/mapping';
import { applyObjectMapping, type FieldOutcome } from './apply';
import { MAX_ATTRIBUTE_STRING, standardField } from './targets';

export interface PreviewInput {
  id: number;
  record: Record<string, unknown>;
  customValues?: ReadonlyMap<number, string | null>;
}

interface PreviewField extends FieldOutcome {
  /** Text values at 90% or more of the target's limit: shown highlighted to reviewers. */
  nearLimit: boolean;
}

export interface PreviewRow {
  id: number;
  ok: boolean;
  fields: PreviewField[];
}

/** For sample records: each source value → mapped value → validation result, as the mapping editor shows it. */
export function previewObject(
  object: MappedObject,
  map: ObjectMapping,
  samples: readonly PreviewInput[],
): PreviewRow[] {
  return samples.map((sample) => {
    const mapped = applyObjectMapping(object, map, sample.record, sample.customValues);
    const fields = mapped.fields.map((f, i) => {
      const mapping = map.fields[i];
      const t = mapping?.target;
      const limit =
        t?.kind === 'attribute' && t.dataType === 'string'
          ? MAX_ATTRIBUTE_STRING
          : t?.kind === 'standard'
            ? standardField(object, t.field)?.maxLength
            : undefined;
      const length = typeof f.raw === 'string' ? f.raw.length : 0;
      return { ...f, nearLimit: limit !== undefined && length >= limit * 0.9 };
    });
    return { id: sample.id, ok: !mapped.issues.some((i) => i.severity === 'error'), fields };
  });
}
