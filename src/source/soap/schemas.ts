import { z } from 'zod';

import { messageOf } from '../../model/error-message';
import { parseUtcDate } from '../dates';

/**
 * zod schemas of the Web Services' data types, read from element text (fast-xml-parser keeps
 * everything as text). Field names VERIFIED where the reference notes list them (2.5, 2.7); the
 * layouts they mark ASSUMED (KB parts, call-log info) are this project's reading, kept here.
 */

const Text = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s === '' ? null : s));
const Int = z
  .string()
  .trim()
  .regex(/^-?\d+$/)
  .transform(Number);
/** Ids where -1 or 0 means "none" (non-nullable int in the contract). */
const OptId = z
  .string()
  .optional()
  .transform((s) => {
    if (s === undefined || s.trim() === '') return null;
    const n = Number(s.trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  });
const Bool = z
  .string()
  .optional()
  .transform((s) => (s ?? '').trim().toLowerCase() === 'true');
/** .NET DateTime: never null on the wire; 0001-01-01 is the "no date" value. */
const DotnetDate = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined || s.trim() === '' || s.startsWith('0001-01-01')) return null;
    try {
      return parseUtcDate(s);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: messageOf(error) });
      return z.NEVER;
    }
  });

export const TicketInfo = z.object({
  CustomerEmailAddress: Text,
  ID: Int,
  IdAgent: OptId,
  IdCustomer: OptId,
  IdDepartment: OptId,
  IdGroup: OptId,
  IsActive: Bool,
  IsDeleted: Bool,
  IsOpen: Bool,
  IsSpam: Bool,
  LastReplyDateUtc: DotnetDate,
  Priority: OptId,
  Subject: Text,
  TicketNumber: Text,
});
export type TicketInfo = z.infer<typeof TicketInfo>;

export const TicketPartInfo = z.object({
  CreationDateUtc: DotnetDate,
  Description: Text,
  Direction: Int.optional(),
  PartId: Int,
  Recipient: Text,
  Sender: Text,
  Type: Int,
  IsDraft: Bool,
});
export type TicketPartInfo = z.infer<typeof TicketPartInfo>;

export const TicketCommentInfo = z.object({
  CommentId: Int,
  CommentText: Text,
  CommentType: Text,
  DateEnteredUTC: DotnetDate,
  TicketId: Int,
  UserId: OptId,
});

/** Lower-camel, unlike every other type (VERIFIED). */
export const TicketAttachmentInfo = z.object({
  downloadUrl: Text,
  fileDateUtc: DotnetDate,
  fileId: Int,
  fileNameOnDisk: Text,
  fileNameOriginal: Text,
  fileSizeInBytes: Int.optional(),
  sender: Text,
  senderUserId: OptId,
  ticketMessageId: OptId,
});
export type TicketAttachmentInfo = z.infer<typeof TicketAttachmentInfo>;

export const IdName = z.object({ ID: Int, Name: Text });
export const AgentInfo = z.object({ DisplayName: Text, ID: Int, UserName: Text });
export type AgentInfo = z.infer<typeof AgentInfo>;
export const RoleInfo = z.object({ IsEmployee: Bool, RoleID: Int, RoleName: Text });

export const CustomFieldInfo = z.object({
  DataType: Text,
  DefaultValue: Text,
  DisplayName: Text,
  ID: Int,
  IsGlobal: Bool,
});

export const OrganizationInfo = z.object({ Name: Text, OrganizationID: Int, PhoneNumber: Text, Website: Text });
export const OrganizationMemberInfo = z.object({ ID: Int, Type: Int, Value: Text });

export const KbFolder = z.object({ ID: Int, IsPrivate: Bool, Name: Text, ParentID: OptId });
export const KbArticlePart = z.object({ ID: Int, FolderID: OptId, Subject: Text, IsPrivate: Bool, IsDraft: Bool });
export const KbArticleInfo = KbArticlePart.extend({
  Body: Text,
  Summary: Text,
  UserID: OptId,
  DateCreatedUtc: DotnetDate,
  DateModifiedUtc: DotnetDate,
});

export const CallLogInfo = z.object({
  CallLogID: Int,
  CallNumber: Text,
  CustomerEmailAddress: Text,
  CustomerName: Text,
  CustomerPhoneNumber: Text,
  CustomerUserID: OptId,
  DateCreatedUtc: DotnetDate,
  DateEndUtc: DotnetDate,
  DateModifiedUtc: DotnetDate,
  DateStartUtc: DotnetDate,
  DepartmentID: OptId,
  Description: Text,
  GroupID: OptId,
  IsOutgoing: Bool,
  Subject: Text,
  UserID: OptId,
});
export type CallLogInfo = z.infer<typeof CallLogInfo>;

/** OrganizationMemberInfo.Type → filter kind (ASSUMED codes, mirrored by the fixture). */
export const MEMBER_TYPE_KIND: Record<number, 'email' | 'domain' | 'user' | 'phone'> = {
  1: 'email',
  2: 'domain',
  3: 'user',
  4: 'phone',
};
export const MEMBER_KIND_TYPE_NAME = { email: 'Email', domain: 'Domain', user: 'User', phone: 'Phone' } as const;

/** TicketPartInfo.Type (VERIFIED as observed): 1 message; 10 comment, 11 transfer comment, 12 resolution comment. */
export const PART_TYPE = { MESSAGE: 1, COMMENT: 10, TRANSFER_COMMENT: 11, RESOLUTION_COMMENT: 12 } as const;
