import { z } from 'zod';

import { AddressableList, CustomAttributes, Id, Pages, Timestamp } from './common';

/** Every writable contact field; an update may send any of them. */
export const UpdateContactRequest = z.strictObject({
  role: z.enum(['user', 'lead']).optional(),
  external_id: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  email_verified: z.boolean().nullish(),
  phone: z.string().nullish(),
  name: z.string().nullish(),
  avatar: z.string().nullish(),
  signed_up_at: Timestamp.nullish(),
  last_seen_at: Timestamp.nullish(),
  owner_id: z.string().nullish(),
  unsubscribed_from_emails: z.boolean().nullish(),
  custom_attributes: CustomAttributes.optional(),
});
export type UpdateContactRequest = z.input<typeof UpdateContactRequest>;

/** A create takes the same fields, with two rules Intercom enforces on creation. */
export const CreateContactRequest = UpdateContactRequest.refine(
  (b) => b.email !== undefined || b.external_id !== undefined || b.role !== undefined,
  {
    message: 'a contact needs an email, an external_id or a role',
  },
).refine((b) => b.email_verified === undefined || b.email !== undefined, {
  message: 'email_verified must be sent together with email',
  path: ['email_verified'],
});
export type CreateContactRequest = z.input<typeof CreateContactRequest>;

export const Contact = z.looseObject({
  type: z.string(),
  id: Id,
  workspace_id: z.string().nullish(),
  external_id: z.string().nullish(),
  role: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  name: z.string().nullish(),
  owner_id: Id.nullish(),
  created_at: Timestamp.nullish(),
  updated_at: Timestamp.nullish(),
  signed_up_at: Timestamp.nullish(),
  last_seen_at: Timestamp.nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  tags: AddressableList.nullish(),
  companies: AddressableList.nullish(),
});
export type Contact = z.infer<typeof Contact>;

export const ContactList = z.looseObject({
  type: z.string().nullish(),
  data: z.array(Contact),
  total_count: z.number().nullish(),
  pages: Pages.nullish(),
});

export const ContactDeleted = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  external_id: z.string().nullish(),
  deleted: z.boolean(),
});

export const ContactArchiveState = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  external_id: z.string().nullish(),
  archived: z.boolean(),
});
