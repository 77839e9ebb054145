import { statistics } from '../resources/conversation-render';
import type { Store } from '../state/store';
import type { Conversation } from '../state/types';
import type { FieldType, SearchField } from './query';

type Field = SearchField<Conversation>;
const of = (type: FieldType, read: Field['read']): Field => ({ read, type });

const STATISTICS: Record<string, FieldType> = {
  time_to_assignment: 'integer',
  time_to_admin_reply: 'integer',
  time_to_first_close: 'integer',
  time_to_last_close: 'integer',
  median_time_to_reply: 'integer',
  first_contact_reply_at: 'date',
  first_assignment_at: 'date',
  first_admin_reply_at: 'date',
  first_close_at: 'date',
  last_assignment_at: 'date',
  last_assignment_admin_reply_at: 'date',
  last_contact_reply_at: 'date',
  last_admin_reply_at: 'date',
  last_close_at: 'date',
  last_closed_by_id: 'string',
  count_reopens: 'integer',
  count_assignments: 'integer',
  count_conversation_parts: 'integer',
};

/**
 * The searchable conversation fields of 2.16's table, with their types. `source.body` matches word
 * by word, as documented. Ratings and AI agent fields hold nothing (a migration writes neither).
 * `title` and `custom_attributes.<name>` are not in Intercom's table; kept for tests that use them.
 */
export function conversationSearchField(store: Store): (name: string) => Field | undefined {
  const authorOf = (c: Conversation) =>
    c.source_author.type === 'admin'
      ? store.state.admins.find((a) => a.id === c.source_author.id)
      : store.state.contacts[c.source_author.id];
  const fields: Record<string, Field> = {
    id: of('string', (c) => c.id),
    created_at: of('date', (c) => c.created_at),
    updated_at: of('date', (c) => c.updated_at),
    'source.type': of('string', (c) => c.source_type),
    'source.id': of('string', (c) => c.message_id),
    'source.delivered_as': of('string', () => 'customer_initiated'),
    'source.subject': of('string', (c) => c.source_subject),
    'source.body': { read: (c) => c.source_body, type: 'string', words: true },
    'source.author.id': of('string', (c) => c.source_author.id),
    'source.author.type': of('string', (c) => c.source_author.type),
    'source.author.name': of('string', (c) => authorOf(c)?.name ?? null),
    'source.author.email': of('string', (c) => authorOf(c)?.email ?? null),
    'source.url': of('string', () => null),
    contact_ids: of('string', (c) => c.contact_ids),
    teammate_ids: of('string', (c) => [
      ...new Set(c.parts.filter((p) => p.author.type === 'admin').map((p) => p.author.id)),
    ]),
    admin_assignee_id: of('integer', (c) => c.admin_assignee_id),
    team_assignee_id: of('integer', (c) => c.team_assignee_id),
    channel_initiated: of('string', () => 'conversation'),
    open: of('boolean', (c) => c.state !== 'closed'),
    read: of('boolean', (c) => c.read),
    state: of('string', (c) => c.state),
    waiting_since: of('date', (c) => c.waiting_since),
    snoozed_until: of('date', (c) => c.snoozed_until),
    tag_ids: of('string', (c) => c.tags.map((t) => t.id)),
    priority: of('string', (c) => c.priority),
    'conversation_rating.requested_at': of('date', () => null),
    'conversation_rating.replied_at': of('date', () => null),
    'conversation_rating.score': of('integer', () => null),
    'conversation_rating.remark': of('string', () => null),
    'conversation_rating.contact_id': of('string', () => null),
    'conversation_rating.admin_d': of('string', () => null), // sic: Intercom's table spells it so
    'conversation_rating.admin_id': of('string', () => null),
    ai_agent_participated: of('boolean', () => false),
    'ai_agent.resolution_state': of('string', () => null),
    'ai_agent.last_answer_type': of('string', () => null),
    'ai_agent.rating': of('integer', () => null),
    'ai_agent.rating_remark': of('string', () => null),
    'ai_agent.source_type': of('string', () => null),
    'ai_agent.source_title': of('string', () => null),
    title: of('string', (c) => c.title),
  };
  for (const [name, type] of Object.entries(STATISTICS))
    fields[`statistics.${name}`] = of(type, (c) => statistics(c)[name] ?? null);
  return (name) => {
    if (name.startsWith('custom_attributes.')) {
      const key = name.slice('custom_attributes.'.length);
      const attribute = Object.values(store.state.conversationAttributes).find((a) => a.name === key && !a.archived);
      if (!attribute) return undefined;
      const type: FieldType =
        attribute.data_type === 'integer'
          ? 'integer'
          : attribute.data_type === 'boolean'
            ? 'boolean'
            : attribute.data_type === 'datetime'
              ? 'date'
              : 'string';
      return of(type, (c) => c.custom_attributes[key]);
    }
    return Object.hasOwn(fields, name) ? fields[name] : undefined;
  };
}
