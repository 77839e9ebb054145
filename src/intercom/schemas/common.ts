import { z } from 'zod';

/**
 * Response schemas tolerate fields they do not name (Intercom adds fields without a version bump)
 * and accept `null` wherever the real API has been seen to send it. Ids are normalised to strings:
 * Intercom mixes string ids (contacts, conversations) and integer ids (data attributes, help centers).
 */
export const Id = z.union([z.string(), z.number()]).transform((v) => String(v));

/** Unix seconds. */
export const Timestamp = z.number();

export const ErrorEnvelope = z.looseObject({
  type: z.string().optional(),
  request_id: z.string().nullish(),
  errors: z.array(
    z.looseObject({
      code: z.string(),
      message: z.string().nullish(),
      field: z.string().nullish(),
    }),
  ),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** `pages` of list and search responses: cursor (`next.starting_after`) or link (`next` URL). */
export const Pages = z.looseObject({
  type: z.string().nullish(),
  page: z.number().nullish(),
  per_page: z.number().nullish(),
  total_pages: z.number().nullish(),
  next: z
    .union([
      z.string(),
      z.looseObject({
        page: z.number().nullish(),
        per_page: z.number().nullish(),
        starting_after: z.string().nullish(),
      }),
    ])
    .nullish(),
});
export type Pages = z.infer<typeof Pages>;

/** `{id, object, deleted: true}` returned by most deletes. */
export const DeletedObject = z.looseObject({
  id: Id,
  object: z.string().nullish(),
  deleted: z.boolean(),
});
export type DeletedObject = z.infer<typeof DeletedObject>;

/** Custom attribute values as they travel in requests (Intercom accepts more than the spec types). */
export const CustomAttributes = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]),
);
export type CustomAttributes = z.infer<typeof CustomAttributes>;

/** Addressable list (`tags`, `companies`, `notes` on a contact). */
export const AddressableList = z.looseObject({
  type: z.string().nullish(),
  data: z.array(z.looseObject({ id: Id, type: z.string().nullish() })).nullish(),
  url: z.string().nullish(),
  total_count: z.number().nullish(),
  has_more: z.boolean().nullish(),
});

/** Search queries shared by contacts and conversations. */
export type SearchQuery =
  | {
      field: string;
      operator: '=' | '!=' | 'IN' | 'NIN' | '<' | '>' | '<=' | '>=' | '~' | '!~' | '^' | '$';
      value: string | number | boolean | null | Array<string | number>;
    }
  | { operator: 'AND' | 'OR'; value: SearchQuery[] };

export const SearchQuery: z.ZodType<SearchQuery> = z.lazy(() =>
  z.union([
    z.strictObject({
      field: z.string(),
      operator: z.enum(['=', '!=', 'IN', 'NIN', '<', '>', '<=', '>=', '~', '!~', '^', '$']),
      value: z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]),
    }),
    z.strictObject({ operator: z.enum(['AND', 'OR']), value: z.array(SearchQuery) }),
  ]),
);
