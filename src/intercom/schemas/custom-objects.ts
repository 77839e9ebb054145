import { z } from 'zod';

import { CustomAttributes, Id, Timestamp } from './common';

/** POST /custom_object_instances/{type} upserts on external_id. */
export const CustomObjectInstanceRequest = z.strictObject({
  external_id: z.string().min(1),
  external_created_at: Timestamp.optional(),
  external_updated_at: Timestamp.optional(),
  custom_attributes: CustomAttributes.optional(),
});
export type CustomObjectInstanceRequest = z.input<typeof CustomObjectInstanceRequest>;

export const CustomObjectInstance = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  external_id: z.string().nullish(),
  external_created_at: Timestamp.nullish(),
  external_updated_at: Timestamp.nullish(),
  created_at: Timestamp.nullish(),
  updated_at: Timestamp.nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
});
export type CustomObjectInstance = z.infer<typeof CustomObjectInstance>;
