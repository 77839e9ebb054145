import { z } from 'zod';

import { CustomAttributes, Id, Pages, Timestamp } from './common';

/** POST /companies is an upsert keyed on `company_id` (your id, immutable once set). */
export const CreateOrUpdateCompanyRequest = z.strictObject({
  company_id: z.string().min(1),
  name: z.string().nullish(),
  plan: z.string().nullish(),
  size: z.number().int().nullish(),
  website: z.string().nullish(),
  industry: z.string().nullish(),
  custom_attributes: CustomAttributes.optional(),
  remote_created_at: Timestamp.nullish(),
  update_last_request_at: z.boolean().nullish(),
  monthly_spend: z.number().int().nullish(),
});
export type CreateOrUpdateCompanyRequest = z.input<typeof CreateOrUpdateCompanyRequest>;

export const Company = z.looseObject({
  type: z.string(),
  id: Id,
  company_id: z.string().nullish(),
  name: z.string().nullish(),
  app_id: z.string().nullish(),
  created_at: Timestamp.nullish(),
  updated_at: Timestamp.nullish(),
  remote_created_at: Timestamp.nullish(),
  user_count: z.number().nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  /** Every tag of the company (`tag.list`). */
  tags: z.looseObject({ tags: z.array(z.looseObject({ id: Id, name: z.string().nullish() })).nullish() }).nullish(),
});
export type Company = z.infer<typeof Company>;

/**
 * GET /companies?company_id= returns a company; the spec's schema says `company_list`.
 * Accept both and normalise to the companies found.
 */
export const CompanyLookup = z.union([
  Company,
  z.looseObject({
    type: z.string().nullish(),
    data: z.array(Company),
    pages: Pages.nullish(),
    total_count: z.number().nullish(),
  }),
]);

/** GET /contacts/{id}/companies: the spec names the array `companies`; accept `data` too. */
export const ContactCompanies = z.looseObject({
  type: z.string().nullish(),
  companies: z.array(Company).nullish(),
  data: z.array(Company).nullish(),
  pages: Pages.nullish(),
  total_count: z.number().nullish(),
});
