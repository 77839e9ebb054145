import { z } from 'zod';

import { Id, Timestamp } from './common';

/** Attribute names: alphanumerics, currency symbols, hyphens (and underscores, used by Intercom's own examples). */
const AttributeName = z.string().min(1);

export const CreateDataAttributeRequest = z
  .strictObject({
    name: AttributeName,
    model: z.enum(['contact', 'company']),
    data_type: z.enum(['string', 'integer', 'float', 'boolean', 'datetime', 'date', 'options']),
    description: z.string().optional(),
    messenger_writable: z.boolean().optional(),
    options: z.array(z.strictObject({ value: z.string() })).optional(),
  })
  .refine((b) => b.data_type !== 'options' || (b.options?.length ?? 0) >= 2, {
    message: 'options attributes need at least two options',
    path: ['options'],
  });
export type CreateDataAttributeRequest = z.input<typeof CreateDataAttributeRequest>;

export const UpdateDataAttributeRequest = z.strictObject({
  archived: z.boolean().optional(),
  description: z.string().optional(),
  messenger_writable: z.boolean().optional(),
  options: z.array(z.strictObject({ value: z.string() })).optional(),
});
export type UpdateDataAttributeRequest = z.input<typeof UpdateDataAttributeRequest>;

export const DataAttribute = z.looseObject({
  type: z.string().nullish(),
  id: Id.nullish(),
  model: z.string().nullish(),
  name: z.string(),
  full_name: z.string().nullish(),
  label: z.string().nullish(),
  description: z.string().nullish(),
  data_type: z.string(),
  options: z.array(z.unknown()).nullish(),
  custom: z.boolean().nullish(),
  archived: z.boolean().nullish(),
  created_at: Timestamp.nullish(),
  updated_at: Timestamp.nullish(),
});
export type DataAttribute = z.infer<typeof DataAttribute>;

export const DataAttributeList = z.looseObject({ type: z.string().nullish(), data: z.array(DataAttribute) });

export const CreateConversationAttributeRequest = z.strictObject({
  name: AttributeName,
  data_type: z.enum(['string', 'integer', 'list', 'decimal', 'boolean', 'datetime', 'relationship', 'files']),
  description: z.string().optional(),
  required: z.boolean().optional(),
  visible_to_team_ids: z.array(z.string()).optional(),
  multiline: z.boolean().optional(),
  options: z.array(z.strictObject({ label: z.string() })).optional(),
  reference: z.strictObject({ type: z.enum(['one', 'many']), object_type_id: z.string().optional() }).optional(),
});
export type CreateConversationAttributeRequest = z.input<typeof CreateConversationAttributeRequest>;

export const UpdateConversationAttributeRequest = z.strictObject({
  name: AttributeName.optional(),
  description: z.string().optional(),
  required: z.boolean().optional(),
  visible_to_team_ids: z.array(z.string()).optional(),
  archived: z.boolean().optional(),
});
export type UpdateConversationAttributeRequest = z.input<typeof UpdateConversationAttributeRequest>;

export const ConversationAttribute = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  name: z.string(),
  description: z.string().nullish(),
  data_type: z.string(),
  required: z.boolean().nullish(),
  archived: z.boolean().nullish(),
  created_at: Timestamp.nullish(),
  updated_at: Timestamp.nullish(),
});
export type ConversationAttribute = z.infer<typeof ConversationAttribute>;

export const ConversationAttributeList = z.looseObject({
  type: z.string().nullish(),
  data: z.array(ConversationAttribute),
});
