import { z } from 'zod';

import { Id, Timestamp } from './common';

export const Tag = z.looseObject({
  type: z.string(),
  id: Id,
  name: z.string(),
  applied_at: Timestamp.nullish(),
  applied_by: z.looseObject({ type: z.string().nullish(), id: Id.nullish() }).nullish(),
});
export type Tag = z.infer<typeof Tag>;

export const TagList = z.looseObject({ type: z.string().nullish(), data: z.array(Tag) });

/** POST /tags: create-or-update by name (names are case-insensitive), or tag/untag companies and users. */
export const TagRequest = z.union([
  z.strictObject({ name: z.string().min(1), id: z.string().optional() }),
  z.strictObject({
    name: z.string().min(1),
    companies: z
      .array(
        z.strictObject({ id: z.string().optional(), company_id: z.string().optional(), untag: z.boolean().optional() }),
      )
      .min(1),
  }),
  z.strictObject({
    name: z.string().min(1),
    users: z.array(z.strictObject({ id: z.string(), untag: z.boolean().optional() })).min(1),
  }),
]);
export type TagRequest = z.input<typeof TagRequest>;
