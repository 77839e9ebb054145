/**
 * The SmarterTrack tables and columns the SQL reader uses, by logical name (the table name without
 * its prefix), spelled as in the reference DDL. Matching against a real database is
 * case-insensitive. Required tables must exist (their key columns too); anything else is optional:
 * missing ones are reported and the fields they feed come out null.
 */
export type ColumnType = 'int' | 'bool' | 'text' | 'date';

export interface TableSpec {
  readonly required: boolean;
  /** Columns that must exist when the table exists (ids and codes the reader cannot do without). */
  readonly key: readonly string[];
  readonly columns: Readonly<Record<string, ColumnType>>;
}

export const SCHEMA = {
  Brands: { required: false, key: ['BrandID'], columns: { BrandID: 'int', BrandName: 'text', HostHeaderValue: 'text', IsDefaultBrand: 'bool' } },
  Departments: {
    required: true,
    key: ['DepartmentID'],
    columns: {
      DepartmentID: 'int', DisplayName: 'text', BrandID: 'int', IsDeleted: 'bool', IsInternal: 'bool',
      AutoCloseEnabled: 'bool', AutoCloseHours: 'int', AutoLockEnabled: 'bool', AutoLockHours: 'int',
      AutoDeleteEnabled: 'bool', AutoDeleteDays: 'int', AutoDeleteCallLogEnabled: 'bool', AutoDeleteCallLogDays: 'int',
      CustomTemplateID_Ticket: 'int', CustomTemplateID_Chat: 'int', CustomTemplateID_CallLog: 'int',
    },
  },
  Groups: {
    required: false,
    key: ['DepartmentID', 'GroupID'],
    columns: { DepartmentID: 'int', GroupID: 'int', GroupName: 'text', GroupDescription: 'text', IsDeleted: 'bool', IsFrontLine: 'bool', IsInternal: 'bool' },
  },
  Users: {
    required: true,
    key: ['UserID'],
    columns: {
      UserID: 'int', UserName: 'text', Email: 'text', DisplayName: 'text', PhoneNumber: 'text', Language: 'text',
      DateCreatedUTC: 'date', DateLastLoginUTC: 'date', IsDeleted: 'bool', IsEmailVerified: 'bool', IsLockedOut: 'bool',
      IsPrimaryAdmin: 'bool', IsQueue: 'bool',
    },
  },
  Roles: { required: true, key: ['RoleID', 'RoleCategory'], columns: { RoleID: 'int', RoleName: 'text', RoleCategory: 'int' } },
  UsersInRoles: { required: true, key: ['UserID', 'RoleID'], columns: { UserID: 'int', RoleID: 'int' } },
  UsersInGroups: {
    required: false,
    key: ['UserID', 'DepartmentID', 'GroupID'],
    columns: {
      UserID: 'int', DepartmentID: 'int', GroupID: 'int', IsGroupAdmin: 'bool', IsActiveForTickets: 'bool',
      IsActiveForChats: 'bool', RoundRobinOrder: 'int',
    },
  },
  Organizations: { required: false, key: ['OrganizationID'], columns: { OrganizationID: 'int', OrganizationName: 'text', Website: 'text', PhoneNumber: 'text' } },
  OrganizationFilters: {
    required: false,
    key: ['OrganizationFilterID'],
    columns: { OrganizationFilterID: 'int', OrganizationID: 'int', FilterType: 'text', FilterValue: 'text', UserID: 'int' },
  },
  CustomDataFields: {
    required: false,
    key: ['CustomFieldID'],
    columns: { CustomFieldID: 'int', DisplayName: 'text', DataType: 'int', DefaultValue: 'text', Options: 'text', IsGlobal: 'bool' },
  },
  CustomTemplates: { required: false, key: ['CustomTemplateID'], columns: { CustomTemplateID: 'int', DisplayName: 'text' } },
  CustomDataFieldsInCustomTemplates: {
    required: false,
    key: ['CustomTemplateID', 'CustomFieldID'],
    columns: {
      CustomTemplateID: 'int', CustomFieldID: 'int', DisplayName: 'text', IsVisible: 'bool', IsRequired: 'bool', SortOrder: 'int',
      IsVisibleToAgents: 'bool', IsRequiredToAgentRespondTicket: 'bool', IsRequiredToAgentCloseTicket: 'bool',
      ConditionalCustomFieldID: 'int', ConditionalValues: 'text',
    },
  },
  CustomDataFieldsInTickets: { required: false, key: ['TicketID', 'CustomFieldID'], columns: { TicketID: 'int', CustomFieldID: 'int', DataContent: 'text' } },
  CustomDataFieldsInChats: { required: false, key: ['ChatID', 'CustomFieldID'], columns: { ChatID: 'int', CustomFieldID: 'int', DataContent: 'text' } },
  CustomDataFieldsInCallLogs: { required: false, key: ['CallLogID', 'CustomFieldID'], columns: { CallLogID: 'int', CustomFieldID: 'int', DataContent: 'text' } },
  CustomDataFieldsForUsers: { required: false, key: ['UserID', 'CustomFieldID'], columns: { UserID: 'int', CustomFieldID: 'int', DataContent: 'text' } },
  TicketStatuses: {
    required: false,
    key: ['TicketStatusID'],
    columns: { TicketStatusID: 'int', EnglishName: 'text', DisplayName: 'text', SortOrder: 'int', IsOpen: 'bool', IsActive: 'bool', IsLocked: 'bool' },
  },
  TicketPriorities: { required: false, key: ['TicketPriorityID'], columns: { TicketPriorityID: 'int', EnglishName: 'text', DisplayName: 'text', SortOrder: 'int' } },
  CommentTypes: { required: false, key: ['CommentTypeID'], columns: { CommentTypeID: 'int', EnglishName: 'text', DisplayName: 'text' } },
  Tickets: {
    required: true,
    key: ['TicketID'],
    columns: {
      TicketID: 'int', TicketNumber: 'text', Subject: 'text', TicketStatusID: 'int', TicketPriorityID: 'int', DepartmentID: 'int',
      GroupID: 'int', UserID: 'int', UserID_Customer: 'int', CustomerEmailAddress: 'text', DateOpenedUTC: 'date',
      DateClosedUTC: 'date', DateDeletedUTC: 'date', IsDeleted: 'bool', IsSpam: 'bool',
    },
  },
  TicketMerges: { required: false, key: ['TicketID', 'TicketNumber'], columns: { TicketID: 'int', TicketNumber: 'text' } },
  TicketMessages: {
    required: true,
    key: ['TicketMessageID'],
    columns: {
      TicketMessageID: 'int', TicketID: 'int', DateReceivedUTC: 'date', UserID_From: 'int', Subject: 'text', BodyText: 'text',
      BodyHTML: 'text', MessageDirection: 'int', FromAddress: 'text', ToAddress: 'text', CcAddresses: 'text', IsDraft: 'bool',
    },
  },
  TicketComments: {
    required: false,
    key: ['TicketCommentID'],
    columns: { TicketCommentID: 'int', TicketID: 'int', CommentTypeID: 'int', UserID: 'int', DateEnteredUTC: 'date', CommentText: 'text' },
  },
  TicketAttachments: {
    required: false,
    key: ['TicketAttachmentID'],
    columns: {
      TicketAttachmentID: 'int', TicketID: 'int', TicketMessageID: 'int', UserID: 'int', FileNameOriginal: 'text', FileNameOnDisk: 'text',
      CidTagName: 'text', Length: 'int', CreationDateUTC: 'date', IsDeleted: 'bool',
    },
  },
  Chats: {
    required: false,
    key: ['ChatID'],
    columns: {
      ChatID: 'int', ChatNumber: 'text', DepartmentID: 'int', GroupID: 'int', UserID: 'int', CustomerUserID: 'int',
      CustomerDisplayName: 'text', CustomerEmailAddress: 'text', InitialQuestion: 'text', DateStartedUTC: 'date',
      DateEndedUTC: 'date', DateDeletedUTC: 'date', IsDeleted: 'bool',
    },
  },
  ChatMessages: {
    required: false,
    key: ['ChatMessageID'],
    columns: {
      ChatMessageID: 'int', ChatID: 'int', UserID: 'int', DateSubmittedUTC: 'date', ChatSenderType: 'int', TextSubmitted: 'text',
      ViewRestriction: 'int', IsHTML: 'bool',
    },
  },
  ChatAttachments: {
    required: false,
    key: ['ChatAttachmentID'],
    columns: {
      ChatAttachmentID: 'int', ChatID: 'int', UserID: 'int', FileNameOriginal: 'text', FileNameOnDisk: 'text', Length: 'int',
      CreationDateUTC: 'date', IsDeleted: 'bool',
    },
  },
  CallLogs: {
    required: false,
    key: ['CallLogID'],
    columns: {
      CallLogID: 'int', CallNumber: 'text', DepartmentID: 'int', GroupID: 'int', UserID: 'int', CustomerUserID: 'int',
      CustomerName: 'text', CustomerPhoneNumber: 'text', CustomerEmailAddress: 'text', Subject: 'text', Description: 'text',
      IsOutgoing: 'bool', IsDeleted: 'bool', DateStartUTC: 'date', DateEndUTC: 'date', DateCreatedUTC: 'date',
      DateModifiedUTC: 'date', DateDeletedUTC: 'date',
    },
  },
  CallLogAttachments: {
    required: false,
    key: ['CallLogAttachmentID'],
    columns: {
      CallLogAttachmentID: 'int', CallLogID: 'int', UserID: 'int', FileNameOriginal: 'text', FileNameOnDisk: 'text', Length: 'int',
      CreationDateUTC: 'date', IsDeleted: 'bool',
    },
  },
  KbCategories: {
    required: false,
    key: ['KBCategoryID'],
    columns: { KBCategoryID: 'int', KBCategoryID_Parent: 'int', CategoryName: 'text', IsPrivate: 'bool', IsVisible: 'bool' },
  },
  KbArticles: {
    required: false,
    key: ['KBArticleID'],
    columns: {
      KBArticleID: 'int', KBCategoryID: 'int', Subject: 'text', Body: 'text', Summary: 'text', IsPrivate: 'bool', IsDraft: 'bool',
      IsDeleted: 'bool', IsFlaggedForReview: 'bool', DisplayInAllBrands: 'bool', UserID: 'int', DateCreatedUTC: 'date',
      DateModifiedUTC: 'date',
    },
  },
  KbArticlesBrands: { required: false, key: ['KBArticleID', 'BrandID'], columns: { KBArticleID: 'int', BrandID: 'int' } },
  Tags: { required: false, key: ['TagID'], columns: { TagID: 'int', Name: 'text', IsDeleted: 'bool', DateCreatedUTC: 'date' } },
  Events: {
    required: false,
    key: ['EventID'],
    columns: {
      EventID: 'int', Name: 'text', EventGroup: 'text', IsActive: 'bool', Enabled: 'bool', IsRepeating: 'bool', DateLastModifiedUTC: 'date',
    },
  },
  EventConditions: {
    required: false,
    key: ['EventConditionID'],
    columns: {
      EventConditionID: 'int', EventID: 'int', EventKey: 'text', EventType: 'text', EventCondition: 'text', EventValue1: 'text', EventValue2: 'text',
    },
  },
  EventActions: { required: false, key: ['EventActionID'], columns: { EventActionID: 'int', EventID: 'int', EventKey: 'text' } },
  EventInputs: { required: false, key: ['EventInputID'], columns: { EventInputID: 'int', EventActionID: 'int', EventKey: 'text', EventValue: 'text' } },
  RebalanceRules: { required: false, key: ['RebalanceRuleID'], columns: { RebalanceRuleID: 'int', RuleName: 'text', DepartmentID: 'int', GroupID: 'int' } },
  Threads: { required: false, key: ['ThreadID'], columns: { ThreadID: 'int' } },
  ThreadPosts: { required: false, key: ['ThreadPostID'], columns: { ThreadPostID: 'int' } },
} as const satisfies Record<string, TableSpec>;

export type LogicalTable = keyof typeof SCHEMA;
export type ColumnOf<T extends LogicalTable> = keyof (typeof SCHEMA)[T]['columns'] & string;
