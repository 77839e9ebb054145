import { z } from 'zod';

import { MappedObject, TransformKind } from '../model/mapping';

/**
 * What the AI proposer asks a model for: one proposal per source field. The schema is sent as the
 * response format (structured output) and the answer is parsed with it again, item by item, so one bad
 * item costs that item only. Every property is required (strict structured output has no optionals).
 */
const AiTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('standard'), field: z.string().describe('an Intercom standard field of the object') }),
  z.object({
    kind: z.literal('attribute'),
    name: z.string().describe('an existing attribute of the workspace, or a new one (create: true)'),
    dataType: z.enum(['string', 'integer', 'float', 'boolean', 'datetime']),
    create: z.boolean(),
  }),
  z.object({ kind: z.literal('tag'), prefix: z.string() }),
  z.object({ kind: z.literal('note'), label: z.string() }),
  z.object({ kind: z.literal('team') }),
  z.object({ kind: z.literal('drop'), reason: z.string() }),
]);
type AiTarget = z.infer<typeof AiTarget>;

export const AiProposal = z.object({
  objectKey: MappedObject,
  source: z.string().describe('the source field, exactly as listed (e.g. "email", "custom:12")'),
  target: AiTarget,
  transform: TransformKind,
  confidence: z.number().min(0).max(1),
  reason: z.string().describe('one line: why this target'),
});
export type AiProposal = z.infer<typeof AiProposal>;

export const AiAnswer = z.object({ proposals: z.array(AiProposal) });

/** The envelope only: items are validated one by one (a partial answer keeps its good items). */
export const AiAnswerEnvelope = z.object({ proposals: z.array(z.unknown()) });

/** An attribute that already exists in the Intercom workspace (fetched by the caller). */
export const WorkspaceAttribute = z.object({
  model: z.enum(['contact', 'company', 'conversation']),
  name: z.string().min(1),
  /** Intercom's data_type as listed (string, integer, float, decimal, boolean, date, datetime, list…). */
  dataType: z.string(),
  options: z.array(z.string()).optional(),
});
export type WorkspaceAttribute = z.infer<typeof WorkspaceAttribute>;

/** Intercom's attribute data types in the map's vocabulary; null for types a map cannot write. */
export function normaliseAttributeType(
  dataType: string,
): 'string' | 'integer' | 'float' | 'boolean' | 'datetime' | null {
  switch (dataType.toLowerCase()) {
    case 'string':
    case 'list':
    case 'options':
      return 'string';
    case 'integer':
      return 'integer';
    case 'float':
    case 'decimal':
      return 'float';
    case 'boolean':
      return 'boolean';
    case 'date':
    case 'datetime':
      return 'datetime';
    default:
      return null;
  }
}
