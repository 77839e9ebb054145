import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  articleCaption,
  callLogCaption,
  chatCaption,
  endUserCaption,
  organizationCaption,
  ticketCaption,
} from '../../src/engine/record-caption';
import { HostMessage } from '../../src/model/mapping-editor-messages';
import type { CallLog, EndUser, KbArticle, LiveChat, Organization, Ticket } from '../../src/model/source';
import { sourceFieldName, wordsOfProperty } from '../../src/model/source-field-name';
import { recordCaptionText } from '../../webview/record-caption';

// The preview names each record as a reviewer knows it in SmarterTrack, and each field in words.

const ticket = {
  id: 17,
  number: '20240115-0003',
  subject: 'Printer jams',
  statusId: 1,
  statusName: 'Open',
  statusIsOpen: true,
  priorityId: null,
  priorityName: null,
  departmentId: null,
  groupId: null,
  brandId: null,
  assignedAgentId: null,
  customerUserId: null,
  customerEmail: null,
  openedAt: null,
  closedAt: null,
  deletedAt: null,
  deleted: false,
  spam: false,
  mergedNumbers: [],
} satisfies Ticket;

const caption = (c: ReturnType<typeof ticketCaption>, id = 17) => recordCaptionText({ id, caption: c });

test('a ticket by its number and subject; without a number, by its id', () => {
  assert.equal(caption(ticketCaption(ticket)), 'Ticket 20240115-0003 · Printer jams');
  assert.equal(caption(ticketCaption({ ...ticket, number: ' ', subject: null })), 'Ticket 17');
  assert.equal(recordCaptionText({ id: 17, caption: null }), 'Record 17', 'no caption at all: the id');
});

test('a live chat by its number and start (UTC, to the minute); a call log by its number and subject', () => {
  const chat = {
    id: 5,
    number: 'C-88',
    departmentId: null,
    groupId: null,
    agentUserId: null,
    customerUserId: null,
    customerName: 'Ann',
    customerEmail: null,
    initialQuestion: null,
    startedAt: '2024-01-15T10:02:33.000Z',
    endedAt: null,
    deletedAt: null,
    deleted: false,
  } satisfies LiveChat;
  assert.equal(caption(chatCaption(chat), 5), 'Live chat C-88 · started 2024-01-15 10:02 UTC');
  assert.equal(caption(chatCaption({ ...chat, number: null, startedAt: null }), 5), 'Live chat 5');
  const call = {
    id: 9,
    number: 'L-1',
    departmentId: null,
    groupId: null,
    agentUserId: null,
    customerUserId: null,
    customerName: null,
    customerPhone: null,
    customerEmail: null,
    subject: 'Billing question',
    description: null,
    outgoing: false,
    deleted: false,
    startedAt: null,
    endedAt: null,
    createdAt: null,
    modifiedAt: null,
    deletedAt: null,
  } satisfies CallLog;
  assert.equal(caption(callLogCaption(call), 9), 'Call log L-1 · Billing question');
});

test('an end user by name and email, or the email alone; an organization by its name; an article by id and subject', () => {
  const user = { id: 3, displayName: 'Dana Reviewer', email: 'dana@example.com' } as EndUser;
  assert.equal(caption(endUserCaption(user), 3), 'End user Dana Reviewer · dana@example.com');
  assert.equal(caption(endUserCaption({ ...user, displayName: '' }), 3), 'End user dana@example.com');
  assert.equal(caption(endUserCaption({ ...user, displayName: null, email: null }), 3), 'End user 3');
  assert.equal(caption(organizationCaption({ id: 4, name: 'Acme Ltd' } as Organization), 4), 'Organization Acme Ltd');
  assert.equal(
    caption(articleCaption({ id: 12, subject: 'Reset a password' } as KbArticle), 12),
    'KB article 12 · Reset a password',
  );
});

test('the preview message carries the caption, checked by its schema', () => {
  const record = { id: 17, caption: ticketCaption(ticket), ok: true, fields: [] };
  assert.equal(
    HostMessage.safeParse({ type: 'preview', object: 'tickets', records: [record], error: null }).success,
    true,
  );
  const { caption: _left, ...withoutCaption } = record;
  assert.equal(
    HostMessage.safeParse({ type: 'preview', object: 'tickets', records: [withoutCaption], error: null }).success,
    false,
  );
  const empty = { ...record, caption: { kind: 'Ticket', name: '', detail: null } };
  assert.equal(
    HostMessage.safeParse({ type: 'preview', object: 'tickets', records: [empty], error: null }).success,
    false,
    'no name is null, not ""',
  );
});

test('source fields read in words beside their property; a custom field keeps its own label', () => {
  assert.equal(wordsOfProperty('brandName'), 'Brand name');
  assert.equal(wordsOfProperty('bodyHtml'), 'Body HTML');
  assert.equal(wordsOfProperty('departmentId'), 'Department ID');
  assert.equal(wordsOfProperty('subject'), 'Subject');
  assert.equal(wordsOfProperty('custom:12'), 'custom:12', 'not a property name: kept');
  assert.equal(sourceFieldName('custom:12', 'Account notes'), 'Account notes');
  assert.equal(
    sourceFieldName('brandName', 'brandName'),
    'Brand name',
    'the preview sends the property as the label when there is none',
  );
  assert.equal(sourceFieldName('brandName'), 'Brand name');
});
