import type { FieldMapping, MappedObject, MappingFile } from '../model/mapping';
import { customFieldIdOf, MappedObject as MappedObjectSchema } from '../model/mapping';
import type { CustomField } from '../model/source';
import type { WorkspaceAttribute } from './ai-schema';
import { normaliseAttributeType } from './ai-schema';
import { redactOption, type ShapeCount, summariseSamples } from './redact';
import { SOURCE_FIELDS } from './source-fields';
import { attributeModel, STANDARD_FIELDS } from './targets';

/** What the proposer knows of the source beyond the field list: custom field definitions and sample values. */
export interface SourceSchemaInput {
  customFields: readonly CustomField[];
  /** A few sample values per custom field id. */
  customSamples: ReadonlyMap<number, readonly string[]>;
  /** A few sample values of the canonical record fields, per object and field path. */
  standardSamples?: Partial<Record<MappedObject, Readonly<Record<string, readonly unknown[]>>>>;
}

interface RequestField {
  source: string;
  label?: string;
  type: string;
  personal?: boolean;
  custom?: { kind: CustomField['kind']; options: string[]; forms: string[] };
  samples: ShapeCount[];
}

interface RequestObject {
  objectKey: MappedObject;
  intercomObject: string;
  sourceFields: RequestField[];
  targets: {
    allowedKinds: string[];
    standardFields: { name: string; type: string; maxLength?: number }[];
    existingAttributes: { name: string; dataType: string; options?: string[] }[];
  };
  currentMap: {
    source: string;
    target: FieldMapping['target'];
    transform: string;
    by: string;
    confidence: number;
    reason: string;
  }[];
}

export interface AiRequestPayload {
  redacted: boolean;
  objects: RequestObject[];
}

const INTERCOM_OBJECT: Record<MappedObject, string> = {
  companies: 'company',
  contacts: 'contact (role user)',
  tickets: 'conversation',
  liveChats: 'conversation (chat)',
  callLogs: 'conversation (call log)',
  kbArticles: 'help center article',
};

/** Target kinds each object can take (mirrors what the engine writes). */
export const ALLOWED_TARGET_KINDS: Record<MappedObject, readonly string[]> = {
  companies: ['standard', 'attribute', 'tag', 'drop'],
  contacts: ['standard', 'attribute', 'tag', 'note', 'drop'],
  tickets: ['standard', 'attribute', 'tag', 'note', 'team', 'drop'],
  liveChats: ['standard', 'attribute', 'tag', 'note', 'team', 'drop'],
  callLogs: ['standard', 'attribute', 'tag', 'note', 'team', 'drop'],
  kbArticles: ['standard', 'drop'],
};

const SAMPLE_LIMIT = 8;

/**
 * The user message of the request: per object, its source fields (names, types, sample shapes), the
 * Intercom targets it can use and the current (default/heuristic) map. With `redact`, no sample value
 * leaves as it is except short categorical tokens and drop-down options (see redact.ts).
 */
export function buildAiRequest(
  map: MappingFile,
  source: SourceSchemaInput,
  attributes: readonly WorkspaceAttribute[],
  redact: boolean,
): AiRequestPayload {
  const customById = new Map(source.customFields.map((f) => [f.id, f]));
  const objects: RequestObject[] = [];
  for (const objectKey of MappedObjectSchema.options) {
    const mapped = map.objects[objectKey];
    if (!mapped.enabled) continue;
    const sourceFields: RequestField[] = SOURCE_FIELDS[objectKey].map((f) => {
      const samples = (source.standardSamples?.[objectKey]?.[f.path] ?? []).slice(0, SAMPLE_LIMIT);
      const freeText = f.type === 'text' || f.type === 'html';
      return {
        source: f.path,
        type: f.type,
        ...(f.personal ? { personal: true } : {}),
        samples: summariseSamples(samples, { redact, personal: f.personal ?? false, freeText }),
      };
    });
    for (const m of mapped.fields) {
      const id = customFieldIdOf(m.source);
      if (id === null) continue;
      const def = customById.get(id);
      const kind = def?.kind ?? 'unknown';
      const options = def?.options ?? [];
      const samples = (source.customSamples.get(id) ?? []).slice(0, SAMPLE_LIMIT);
      sourceFields.push({
        source: m.source,
        ...(m.label !== undefined ? { label: m.label } : {}),
        type: `custom ${kind}`,
        custom: {
          kind,
          options: redact ? options.map(redactOption) : [...options],
          forms: [...new Set((def?.templates ?? []).map((t) => t.templateName ?? '').filter(Boolean))],
        },
        samples: summariseSamples(samples, {
          redact,
          freeText: kind === 'text' || kind === 'textarea' || kind === 'unknown',
          options,
        }),
      });
    }
    const model = attributeModel(objectKey);
    objects.push({
      objectKey,
      intercomObject: INTERCOM_OBJECT[objectKey],
      sourceFields,
      targets: {
        allowedKinds: [...ALLOWED_TARGET_KINDS[objectKey]],
        standardFields: STANDARD_FIELDS[objectKey]
          .filter((f) => !f.reserved)
          .map((f) => ({ name: f.name, type: f.type, ...(f.maxLength ? { maxLength: f.maxLength } : {}) })),
        existingAttributes: attributes
          .filter((a) => a.model === model && normaliseAttributeType(a.dataType) !== null)
          .map((a) => ({
            name: a.name,
            dataType: normaliseAttributeType(a.dataType)!,
            ...(a.options?.length ? { options: redact ? a.options.map(redactOption) : a.options } : {}),
          })),
      },
      currentMap: mapped.fields.map((f) => ({
        source: f.source,
        target: f.target,
        transform: f.transform.kind,
        by: f.proposal?.by ?? 'person',
        confidence: f.proposal?.confidence ?? 1,
        reason: f.proposal?.reason ?? '',
      })),
    });
  }
  return { redacted: redact, objects };
}

export const SYSTEM_PROMPT = [
  'You map a SmarterTrack help desk export onto Intercom for a migration tool.',
  'For each source field of each object, propose where its values should land in Intercom:',
  '- standard: one of the listed standard fields of that object (each standard field takes one source field);',
  '- attribute: an existing workspace attribute of the listed data type, or a new one (create: true) with a clear name;',
  '- tag (with a prefix), note (with a label), team (conversations: the value selects the assigned team), or drop (with a reason).',
  'Use only the target kinds listed as allowedKinds for that object, and source fields exactly as listed.',
  'Choose a transform: none, string, checkbox-to-boolean, date-to-datetime, integer-to-number, html-to-text (value-map is set by people, do not use it).',
  'currentMap is what a rule-based proposer chose; propose a change only where you are confident it is better, and say so with a calibrated confidence between 0 and 1.',
  'Sample values are summarised as shapes (e.g. "email address (domain hidden)") when the data is redacted; never invent values.',
  'Give a one-line reason for every proposal. Answer with JSON only, matching the schema.',
].join('\n');
