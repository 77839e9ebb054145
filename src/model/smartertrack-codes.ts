/**
 * Code values inside a SmarterTrack database that no public source documents. Each is ASSUMED
 * (see the shared reference notes on SmarterTrack, sections 3.4 and 4) and kept here, in one place,
 * so the readers, the generator and the fixtures agree, and a real instance that differs is fixed
 * in one file.
 */

/** st_Roles.RoleCategory: employee roles make a user an agent. ASSUMED. */
export const RoleCategory = { USER: 0, EMPLOYEE: 1 } as const;

/** st_TicketMessages.MessageDirection. VERIFIED (0 customer→agent, 1 agent→customer). */
export const MessageDirection = { INBOUND: 0, OUTBOUND: 1 } as const;

/** st_ChatMessages.ChatSenderType. ASSUMED. */
export const ChatSenderType = { CUSTOMER: 0, AGENT: 1, SYSTEM: 2 } as const;

/** st_ChatMessages.ViewRestriction: 1 hides a line from the customer (agent-only). ASSUMED. */
export const ViewRestriction = { EVERYONE: 0, AGENTS_ONLY: 1 } as const;

/** st_CustomDataFields.DataType. ASSUMED; any other value is an unknown type and is reported. */
export const CustomFieldDataType = {
  TEXT_BOX: 0,
  TEXT_AREA: 1,
  DROP_DOWN: 2,
  CHECK_BOX: 3,
  DATE: 4,
  NUMBER: 5,
} as const;
export type CustomFieldKind = 'text' | 'textarea' | 'dropdown' | 'checkbox' | 'date' | 'number' | 'unknown';
export function customFieldKind(dataType: number): CustomFieldKind {
  switch (dataType) {
    case CustomFieldDataType.TEXT_BOX:
      return 'text';
    case CustomFieldDataType.TEXT_AREA:
      return 'textarea';
    case CustomFieldDataType.DROP_DOWN:
      return 'dropdown';
    case CustomFieldDataType.CHECK_BOX:
      return 'checkbox';
    case CustomFieldDataType.DATE:
      return 'date';
    case CustomFieldDataType.NUMBER:
      return 'number';
    default:
      return 'unknown';
  }
}

/** st_OrganizationFilters.FilterType is free text; these spellings are accepted, case-insensitively. ASSUMED. */
export type OrganizationFilterKind = 'email' | 'domain' | 'user' | 'phone' | 'unknown';
export function organizationFilterKind(filterType: string | null | undefined): OrganizationFilterKind {
  const t = (filterType ?? '').replace(/[\s_-]/g, '').toLowerCase();
  if (t === 'email' || t === 'emailaddress') return 'email';
  if (t === 'domain' || t === 'domainname' || t === 'emaildomain') return 'domain';
  if (t === 'user' || t === 'username' || t === 'userid') return 'user';
  if (t === 'phone' || t === 'phonenumber') return 'phone';
  return 'unknown';
}

/**
 * Where attachment bytes live under the App_Data root: <root>/<subfolder>/<FileNameOnDisk>, where
 * FileNameOnDisk may itself contain sub-folders. ASSUMED layout; readers also try <root>/<FileNameOnDisk>.
 */
export const AttachmentSubfolder = {
  ticket: 'Attachments/Tickets',
  chat: 'Attachments/Chats',
  callLog: 'Attachments/CallLogs',
} as const;

/** Default table prefix; SmarterTrack lets an admin change it during a database conversion. */
export const DEFAULT_TABLE_PREFIX = 'st_';
