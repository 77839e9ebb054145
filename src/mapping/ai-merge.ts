import {
  customFieldIdOf,
  FieldMapping,
  type MappedObject,
  MappingFile,
  type MappingTarget,
  type Transform,
  type TransformKind,
} from '../model/mapping';
import { ALLOWED_TARGET_KINDS } from './ai-request';
import { type AiProposal, normaliseAttributeType, type WorkspaceAttribute } from './ai-schema';
import { attributeNameFor } from './attribute-name';
import { SOURCE_FIELDS } from './source-fields';
import { attributeModel, MAX_ATTRIBUTE_STRING, standardField, type TargetValueType } from './targets';

/** What became of one AI proposal: applied to the map, kept out (the current proposal is as good), or dropped (invalid). */
export interface AiFieldOutcome {
  objectKey: MappedObject;
  source: string;
  status: 'applied' | 'kept' | 'dropped';
  proposal: AiProposal;
  /** Why it was kept out or dropped; empty when applied. */
  note: string;
}

export interface MergeResult {
  map: MappingFile;
  outcomes: AiFieldOutcome[];
}

type ValueKind = 'string' | 'number' | 'boolean' | 'datetime' | 'any';

/** What each transform produces; `none` passes the source value through. */
const TRANSFORM_OUTPUT: Record<TransformKind, ValueKind> = {
  none: 'any',
  string: 'string',
  'html-to-text': 'string',
  'checkbox-to-boolean': 'boolean',
  'date-to-datetime': 'datetime',
  'integer-to-number': 'number',
  'value-map': 'any',
};

function targetValueKind(type: TargetValueType | 'float'): ValueKind {
  switch (type) {
    case 'integer':
    case 'float':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'datetime';
    default:
      return 'string';
  }
}

/**
 * Merges validated AI proposals into the map. A proposal is dropped when its source field or target does
 * not exist (unknown standard field, reserved field, attribute neither existing nor to be created, a
 * target kind the object cannot take, a transform that cannot produce the target's type); it replaces
 * the current mapping only when its confidence is higher and no person reviewed the field.
 */
export function mergeAiProposals(
  map: MappingFile,
  proposals: readonly AiProposal[],
  attributes: readonly WorkspaceAttribute[],
): MergeResult {
  const next: MappingFile = structuredClone(map);
  const outcomes: AiFieldOutcome[] = [];
  const seen = new Set<string>();
  for (const p of proposals) {
    const key = `${p.objectKey}\u0000${p.source}`;
    const out = (status: AiFieldOutcome['status'], note = '') =>
      outcomes.push({ objectKey: p.objectKey, source: p.source, status, proposal: p, note });
    if (seen.has(key)) {
      out('dropped', 'a second proposal for the same field');
      continue;
    }
    seen.add(key);
    const fields = next.objects[p.objectKey].fields;
    const index = fields.findIndex((f) => f.source === p.source);
    const current = index >= 0 ? fields[index] : undefined;
    const problem = checkSource(next, p) ?? checkTarget(next, p, attributes);
    if (problem) {
      out('dropped', problem);
      continue;
    }
    if (current && (current.reviewed || current.proposal?.by === 'person')) {
      out('kept', 'a person set this mapping');
      continue;
    }
    const currentConfidence = current?.proposal?.confidence ?? 0;
    if (current && p.confidence <= currentConfidence) {
      out(
        'kept',
        `the ${current.proposal?.by ?? 'current'} proposal has confidence ${currentConfidence}, the AI's ${p.confidence}`,
      );
      continue;
    }
    const target = toMappingTarget(p.target, existingAttribute(p, attributes)?.name);
    const mapping = FieldMapping.parse({
      source: p.source,
      ...(current?.label !== undefined ? { label: current.label } : {}),
      target,
      transform: transformFor(p.transform, target, current?.transform, customFieldIdOf(p.source) !== null),
      ...(current?.default !== undefined ? { default: current.default } : {}),
      proposal: { by: 'ai', confidence: p.confidence, reason: oneLine(p.reason) },
      reviewed: false,
    });
    if (current) fields[index] = mapping;
    else fields.push(mapping);
    out('applied');
  }
  return { map: MappingFile.parse(next), outcomes };
}

function checkSource(map: MappingFile, p: AiProposal): string | null {
  if (!map.objects[p.objectKey].enabled) return `${p.objectKey} are not migrated (disabled in the map)`;
  const id = customFieldIdOf(p.source);
  if (id !== null) {
    return map.objects[p.objectKey].fields.some((f) => f.source === p.source)
      ? null
      : `"${p.source}" is not a custom field of ${p.objectKey}`;
  }
  return SOURCE_FIELDS[p.objectKey].some((f) => f.path === p.source)
    ? null
    : `"${p.source}" is not a source field of ${p.objectKey}`;
}

function checkTarget(map: MappingFile, p: AiProposal, attributes: readonly WorkspaceAttribute[]): string | null {
  const t = p.target;
  if (!ALLOWED_TARGET_KINDS[p.objectKey].includes(t.kind))
    return `${p.objectKey} cannot take a target of kind ${t.kind}`;
  if (p.transform === 'value-map') return 'a value map needs values a person supplies';
  const produces = TRANSFORM_OUTPUT[p.transform];
  switch (t.kind) {
    case 'standard': {
      const field = standardField(p.objectKey, t.field);
      if (!field) return `"${t.field}" is not an Intercom ${p.objectKey} field`;
      if (field.reserved) return `"${t.field}" is set by the migration itself`;
      const taken = map.objects[p.objectKey].fields.find(
        (f) => f.source !== p.source && f.target.kind === 'standard' && f.target.field === t.field,
      );
      if (taken) return `"${t.field}" already takes "${taken.source}"`;
      if (produces !== 'any' && produces !== targetValueKind(field.type))
        return `transform ${p.transform} cannot fill "${t.field}" (${field.type})`;
      return null;
    }
    case 'attribute': {
      const model = attributeModel(p.objectKey);
      if (!model) return `${p.objectKey} has no attributes`;
      if (t.name.trim() === '') return 'the attribute has no name';
      const existing = existingAttribute(p, attributes);
      if (existing) {
        const type = normaliseAttributeType(existing.dataType);
        if (type === null)
          return `attribute "${existing.name}" is of type ${existing.dataType}, which the map cannot write`;
        if (type !== t.dataType) return `attribute "${existing.name}" exists as ${type}, not ${t.dataType}`;
      } else if (!t.create) {
        return `attribute "${t.name}" does not exist in the workspace and is not marked create`;
      }
      const taken = map.objects[p.objectKey].fields.find(
        (f) =>
          f.source !== p.source &&
          f.target.kind === 'attribute' &&
          f.target.name.toLowerCase() === t.name.trim().toLowerCase(),
      );
      if (taken) return `attribute "${t.name}" already takes "${taken.source}"`;
      if (produces !== 'any' && produces !== targetValueKind(t.dataType))
        return `transform ${p.transform} cannot fill a ${t.dataType} attribute`;
      return null;
    }
    default:
      return null;
  }
}

function existingAttribute(p: AiProposal, attributes: readonly WorkspaceAttribute[]): WorkspaceAttribute | undefined {
  const model = attributeModel(p.objectKey);
  if (p.target.kind !== 'attribute' || !model) return undefined;
  const name = p.target.name.trim().toLowerCase();
  return attributes.find((a) => a.model === model && a.name.toLowerCase() === name);
}

/** An existing attribute keeps the workspace's spelling; a new one gets a name Intercom accepts. */
function toMappingTarget(t: AiProposal['target'], existingName: string | undefined): MappingTarget {
  switch (t.kind) {
    case 'standard':
      return { kind: 'standard', field: t.field };
    case 'attribute':
      return {
        kind: 'attribute',
        name: existingName ?? attributeNameFor(t.name, 0),
        dataType: t.dataType,
        create: true,
      };
    case 'tag':
      return { kind: 'tag', prefix: t.prefix };
    case 'note':
      return { kind: 'note', label: oneLine(t.label) };
    case 'team':
      return { kind: 'team' };
    case 'drop':
      return { kind: 'drop', reason: oneLine(t.reason) };
  }
}

/** The transform for an AI proposal: its kind, with the limits the target needs (strings fit 255; nothing is lost). */
function transformFor(
  kind: TransformKind,
  target: MappingTarget,
  previous: Transform | undefined,
  custom: boolean,
): Transform {
  const invalid = custom ? 'note' : (previous?.invalid ?? 'fail');
  if (target.kind === 'attribute' && target.dataType === 'string')
    return { kind, maxLength: MAX_ATTRIBUTE_STRING, overflow: 'note', invalid };
  return { kind, overflow: previous?.kind === kind ? previous.overflow : 'trim', invalid };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
