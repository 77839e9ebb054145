import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { parse } from 'yaml';
import type { z } from 'zod';

import * as S from '../../src/intercom/schemas';
import { AdminList, Me, TeamList } from '../../src/intercom/schemas/admins';

// The client's response schemas must accept what Intercom itself documents: every 200 example of
// the 2.16 description for the operations the client calls is parsed here. (The sandbox is checked
// by the contract test; this checks the schemas against Intercom's own recordings.)

const RESPONSES: Record<string, z.ZodType> = {
  'GET /me': Me,
  'GET /admins': AdminList,
  'GET /teams': TeamList,
  'GET /contacts': S.ContactList,
  'POST /contacts': S.Contact,
  'PUT /contacts/{contact_id}': S.Contact,
  'GET /contacts/{contact_id}': S.Contact,
  'POST /contacts/search': S.ContactList,
  'GET /contacts/find_by_external_id/{external_id}': S.Contact,
  'POST /companies': S.Company,
  'GET /companies': S.CompanyLookup,
  'GET /companies/{company_id}': S.Company,
  'DELETE /companies/{company_id}': S.DeletedObject,
  'POST /contacts/{contact_id}/companies': S.Company,
  'GET /tags': S.TagList,
  'POST /tags': S.Tag,
  'GET /tags/{tag_id}': S.Tag,
  'POST /contacts/{contact_id}/tags': S.Tag,
  'POST /conversations/{conversation_id}/tags': S.Tag,
  'GET /data_attributes': S.DataAttributeList,
  'POST /data_attributes': S.DataAttribute,
  'PUT /data_attributes/{data_attribute_id}': S.DataAttribute,
  'GET /conversations/attributes': S.ConversationAttributeList,
  'POST /conversations/attributes': S.ConversationAttribute,
  'GET /conversations': S.ConversationList,
  'POST /conversations': S.Message,
  'GET /conversations/{conversation_id}': S.Conversation,
  'PUT /conversations/{conversation_id}': S.Conversation,
  'DELETE /conversations/{conversation_id}': S.DeletedObject,
  'POST /conversations/search': S.ConversationList,
  'POST /conversations/{conversation_id}/reply': S.Conversation,
  'POST /conversations/{conversation_id}/parts': S.Conversation,
  'GET /help_center/help_centers': S.HelpCenterList,
  'GET /help_center/collections': S.CollectionList,
  'POST /help_center/collections': S.Collection,
  'PUT /help_center/collections/{collection_id}': S.Collection,
  'DELETE /help_center/collections/{collection_id}': S.DeletedObject,
  'GET /articles': S.ArticleList,
  'POST /articles': S.Article,
  'GET /articles/{article_id}': S.Article,
  'PUT /articles/{article_id}': S.Article,
  'DELETE /articles/{article_id}': S.DeletedObject,
  'POST /custom_object_instances/{custom_object_type_identifier}': S.CustomObjectInstance,
  'DELETE /custom_object_instances/{custom_object_type_identifier}': S.DeletedObject,
  'GET /ticket_types': S.TicketTypeList,
  'POST /ticket_types': S.TicketType,
  'GET /ticket_types/{ticket_type_id}': S.TicketType,
  'PUT /ticket_types/{ticket_type_id}': S.TicketType,
  'POST /ticket_types/{ticket_type_id}/attributes': S.TicketTypeAttribute,
  'PUT /ticket_types/{ticket_type_id}/attributes/{attribute_id}': S.TicketTypeAttribute,
  'GET /ticket_states': S.TicketStateList,
  'POST /tickets': S.Ticket,
  'GET /tickets/{ticket_id}': S.Ticket,
  'PUT /tickets/{ticket_id}': S.Ticket,
  'DELETE /tickets/{ticket_id}': S.DeletedObject,
  'POST /tickets/{ticket_id}/reply': S.TicketPart,
  'POST /tickets/{ticket_id}/tags': S.Tag,
  'DELETE /tickets/{ticket_id}/tags/{tag_id}': S.Tag,
  'POST /tickets/search': S.TicketList,
};

interface Operation {
  responses?: Record<string, { content?: Record<string, { examples?: Record<string, { value?: unknown }> }> }>;
}

test('the client response schemas accept every 200 example of the 2.16 description', (t) => {
  const file = process.env['INTERCOM_OPENAPI'];
  if (file === undefined || file === '') {
    t.skip('INTERCOM_OPENAPI is not set');
    return;
  }
  const doc = parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  const failures: string[] = [];
  let checked = 0;
  for (const [key, schema] of Object.entries(RESPONSES)) {
    const [method, path] = key.split(' ') as [string, string];
    const examples =
      doc.paths[path]?.[method.toLowerCase()]?.responses?.['200']?.content?.['application/json']?.examples ?? {};
    assert.ok(Object.keys(examples).length > 0, `${key} has examples in the description`);
    for (const [name, example] of Object.entries(examples)) {
      checked += 1;
      const result = schema.safeParse(example.value);
      if (!result.success)
        failures.push(
          `${key} "${name}": ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(checked >= Object.keys(RESPONSES).length, `${checked} examples checked`);
});
