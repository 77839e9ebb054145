import { ApiError, badRequest } from '../http/errors';
import type { Router } from '../http/router';
import type { Store } from '../state/store';
import type { ConversationAttribute } from '../state/types';
import { bodyObject, optBool, optString, requireString } from './common';

const DATA_TYPES = ['string', 'integer', 'list', 'decimal', 'boolean', 'datetime', 'relationship', 'files'];
const notFoundError = (): ApiError =>
  new ApiError(404, 'conversation_attribute_not_found', 'Conversation attribute not found');

/** `admin_id` (the creating admin, a string in 2.16, not nullable) is left out: the API token has no admin. */
function render(a: ConversationAttribute): Record<string, unknown> {
  return {
    type: 'conversation_attribute',
    id: a.id,
    name: a.name,
    description: a.description,
    data_type: a.data_type,
    required: a.required,
    visible_to_team_ids: a.visible_to_team_ids,
    archived: a.archived,
    created_at: a.created_at,
    updated_at: a.updated_at,
    ...(a.multiline !== undefined ? { multiline: a.multiline } : {}),
    ...(a.options ? { options: a.options.map((o) => ({ type: 'conversation_attribute_option', ...o })) } : {}),
    ...(a.reference ? { reference: a.reference } : {}),
  };
}

/** Conversation attributes (2.16): created by API, archived instead of deleted. */
export function registerConversationAttributes(router: Router<Store>): void {
  router.add(
    'GET',
    '/conversations/attributes',
    ({ query, store }) => {
      const includeArchived = query.get('include_archived') === 'true';
      return {
        body: {
          type: 'list',
          data: Object.values(store.state.conversationAttributes)
            .filter((a) => includeArchived || !a.archived)
            .map(render),
        },
      };
    },
    '2.16',
  );

  router.add(
    'POST',
    '/conversations/attributes',
    ({ body, store }) => {
      const b = bodyObject(body);
      const name = requireString(b, 'name');
      const dataType = requireString(b, 'data_type');
      if (!DATA_TYPES.includes(dataType))
        throw new ApiError(422, 'parameter_invalid', `Data type '${dataType}' is not supported`);
      if (
        Object.values(store.state.conversationAttributes).some(
          (a) => a.name.toLowerCase() === name.toLowerCase() && !a.archived,
        )
      ) {
        throw badRequest('parameter_invalid', `A conversation attribute named '${name}' already exists`);
      }
      const now = store.now();
      const attribute: ConversationAttribute = {
        id: store.nextNumber('conversation_attribute'),
        name,
        description: optString(b, 'description') ?? '',
        data_type: dataType,
        required: optBool(b, 'required') ?? false,
        visible_to_team_ids: Array.isArray(b.visible_to_team_ids) ? b.visible_to_team_ids.map(String) : [],
        archived: false,
        created_at: now,
        updated_at: now,
      };
      if (dataType === 'string') attribute.multiline = optBool(b, 'multiline') ?? false;
      if (dataType === 'list') {
        if (!Array.isArray(b.options) || b.options.length === 0)
          throw badRequest('parameter_invalid', 'A list attribute needs options');
        attribute.options = b.options.map((o: unknown) => {
          const label = ((o ?? {}) as { label?: unknown }).label;
          if (typeof label !== 'string') throw badRequest('parameter_invalid', 'Each option needs a label');
          return { id: store.nextNumericId('option'), label, archived: false };
        });
      }
      if (dataType === 'relationship') {
        const reference = (b.reference ?? {}) as { type?: unknown; object_type_id?: unknown };
        if (reference.type !== 'one' && reference.type !== 'many')
          throw badRequest('parameter_invalid', 'reference.type must be one or many');
        attribute.reference = {
          type: reference.type,
          ...(typeof reference.object_type_id === 'string' ? { object_type_id: reference.object_type_id } : {}),
        };
      }
      store.state.conversationAttributes[String(attribute.id)] = attribute;
      store.changed('conversationAttributes', String(attribute.id));
      return { body: render(attribute) };
    },
    '2.16',
  );

  router.add(
    'PUT',
    '/conversations/attributes/:id',
    ({ params, body, store }) => {
      const attribute = store.state.conversationAttributes[params.id ?? ''];
      if (!attribute) throw notFoundError();
      const b = bodyObject(body);
      const name = optString(b, 'name');
      if (name) attribute.name = name;
      const description = optString(b, 'description');
      if (description != null) attribute.description = description;
      const required = optBool(b, 'required');
      if (required !== undefined) attribute.required = required;
      const archived = optBool(b, 'archived');
      if (archived !== undefined) attribute.archived = archived;
      attribute.updated_at = store.now();
      store.changed('conversationAttributes', String(attribute.id));
      return { body: render(attribute) };
    },
    '2.16',
  );

  router.add(
    'DELETE',
    '/conversations/attributes/:id',
    ({ params, store }) => {
      const attribute = store.state.conversationAttributes[params.id ?? ''];
      if (!attribute) throw notFoundError();
      attribute.archived = true;
      attribute.updated_at = store.now();
      store.changed('conversationAttributes', String(attribute.id));
      return { body: render(attribute) };
    },
    '2.16',
  );
}
