import { z } from 'zod';

import { CustomAttributes, Id, Pages, Timestamp } from './common';

const AttachmentUrls = z.array(z.string().min(1)).max(10);
const AttachmentFile = z.strictObject({ name: z.string().min(1), content_type: z.string().min(1), data: z.string() });
const AttachmentFiles = z.array(AttachmentFile).max(10);

/** POST /conversations: a conversation started by a contact (in-app only; HTML not supported in body). */
export const CreateConversationRequest = z.strictObject({
  from: z.strictObject({ type: z.enum(['user', 'lead', 'contact']), id: z.string().min(1) }),
  body: z.string(),
  subject: z.string().optional(),
  attachment_urls: AttachmentUrls.optional(),
  created_at: Timestamp.optional(),
  brand_id: z.string().optional(),
});
export type CreateConversationRequest = z.input<typeof CreateConversationRequest>;

/**
 * The create response is a *message*: `id` is the message id, `conversation_id` the conversation's.
 * Replying to the message id fails with 404, so the client exposes `conversation_id`.
 */
export const Message = z.looseObject({
  type: z.string(),
  id: Id,
  created_at: Timestamp.nullish(),
  body: z.string().nullish(),
  message_type: z.string().nullish(),
  conversation_id: Id,
});
export type Message = z.infer<typeof Message>;

export const ContactReplyBase = {
  message_type: z.literal('comment'),
  type: z.literal('user'),
  body: z.string(),
  created_at: Timestamp.optional(),
  attachment_urls: AttachmentUrls.optional(),
  attachment_files: AttachmentFiles.optional(),
};

/** A contact reply's fields with exactly one of intercom_user_id, email or user_id (two would match several oneOf branches). */
export function byOneContactIdentifier<B extends z.ZodRawShape>(base: B) {
  return z.union([
    z.strictObject({ ...base, intercom_user_id: z.string().min(1) }),
    z.strictObject({ ...base, email: z.string().min(1) }),
    z.strictObject({ ...base, user_id: z.string().min(1) }),
  ]);
}

export const ContactReplyRequest = byOneContactIdentifier(ContactReplyBase);
export type ContactReplyRequest = z.input<typeof ContactReplyRequest>;

export const AdminReplyRequest = z
  .strictObject({
    message_type: z.enum(['comment', 'note', 'quick_reply']),
    type: z.literal('admin'),
    admin_id: z.string().min(1),
    body: z.string().optional(),
    created_at: Timestamp.optional(),
    attachment_urls: AttachmentUrls.optional(),
    attachment_files: AttachmentFiles.optional(),
    skip_notifications: z.boolean().optional(),
  })
  .refine((b) => b.message_type === 'quick_reply' || b.body !== undefined, {
    message: 'comments and notes need a body',
    path: ['body'],
  });
export type AdminReplyRequest = z.input<typeof AdminReplyRequest>;

/** POST /conversations/{id}/parts. None of these accept created_at: they are stamped "now". */
export const ConversationPartRequest = z.union([
  z.strictObject({
    message_type: z.literal('close'),
    type: z.literal('admin'),
    admin_id: z.string().min(1),
    body: z.string().optional(),
  }),
  z.strictObject({ message_type: z.literal('snoozed'), admin_id: z.string().min(1), snoozed_until: Timestamp }),
  z.strictObject({ message_type: z.literal('open'), admin_id: z.string().min(1) }),
  z.strictObject({
    message_type: z.literal('assignment'),
    type: z.enum(['admin', 'team']),
    admin_id: z.string().min(1),
    assignee_id: z.string(),
    body: z.string().optional(),
  }),
]);
export type ConversationPartRequest = z.input<typeof ConversationPartRequest>;

export const UpdateConversationRequest = z.strictObject({
  read: z.boolean().optional(),
  title: z.string().optional(),
  custom_attributes: CustomAttributes.optional(),
  company_id: z.string().nullable().optional(),
});
export type UpdateConversationRequest = z.input<typeof UpdateConversationRequest>;

const Author = z.looseObject({
  type: z.string().nullish(),
  id: Id.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

const PartAttachment = z.looseObject({
  type: z.string().nullish(),
  name: z.string().nullish(),
  url: z.string().nullish(),
  content_type: z.string().nullish(),
  filesize: z.number().nullish(),
});

export const ConversationPart = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  part_type: z.string(),
  body: z.string().nullish(),
  created_at: Timestamp,
  updated_at: Timestamp.nullish(),
  author: Author.nullish(),
  attachments: z.array(PartAttachment).nullish(),
  assigned_to: z.looseObject({ type: z.string().nullish(), id: Id.nullish() }).nullish(),
});
export type ConversationPart = z.infer<typeof ConversationPart>;

export const Conversation = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  title: z.string().nullish(),
  created_at: Timestamp,
  updated_at: Timestamp.nullish(),
  open: z.boolean().nullish(),
  state: z.string().nullish(),
  read: z.boolean().nullish(),
  snoozed_until: Timestamp.nullish(),
  admin_assignee_id: Id.nullish(),
  team_assignee_id: Id.nullish(),
  tags: z.looseObject({ tags: z.array(z.looseObject({ id: Id, name: z.string().nullish() })).nullish() }).nullish(),
  source: z
    .looseObject({
      type: z.string().nullish(),
      id: Id.nullish(),
      body: z.string().nullish(),
      author: Author.nullish(),
      attachments: z.array(PartAttachment).nullish(),
    })
    .nullish(),
  contacts: z
    .looseObject({ contacts: z.array(z.looseObject({ id: Id, external_id: z.string().nullish() })).nullish() })
    .nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  conversation_parts: z
    .looseObject({ conversation_parts: z.array(ConversationPart).nullish(), total_count: z.number().nullish() })
    .nullish(),
});
export type Conversation = z.infer<typeof Conversation>;

export const ConversationList = z.looseObject({
  type: z.string().nullish(),
  conversations: z.array(Conversation),
  total_count: z.number().nullish(),
  pages: Pages.nullish(),
});
