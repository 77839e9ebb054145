import { MAX_CUSTOM_ATTRIBUTES } from '../../model/intercom-limits';
import { ApiError, badRequest } from '../http/errors';
import type { Router } from '../http/router';
import { versionAtLeast } from '../http/version';
import type { Store } from '../state/store';
import type { DataAttribute } from '../state/types';
import { bodyObject, optBool, optString, requireString } from './common';

const DATA_TYPES = ['string', 'integer', 'float', 'boolean', 'datetime', 'date', 'options'];
/** Letters, digits, currency symbols and hyphens (Intercom's rule); spaces and underscores are accepted in practice. */
const NAME_PATTERN = /^[\p{L}\p{N}\p{Sc} _-]+$/u;

/** Standard attributes occupy their names: a custom attribute cannot reuse them. */
const STANDARD: Record<'contact' | 'company', string[]> = {
  contact: [
    'id',
    'type',
    'role',
    'name',
    'email',
    'email_domain',
    'phone',
    'external_id',
    'user_id',
    'owner_id',
    'avatar',
    'created_at',
    'updated_at',
    'signed_up_at',
    'last_seen_at',
    'last_replied_at',
    'last_contacted_at',
    'unsubscribed_from_emails',
    'tags',
    'companies',
    'segments',
    'location',
    'language_override',
    'browser',
    'os',
  ],
  company: [
    'id',
    'type',
    'name',
    'company_id',
    'plan',
    'size',
    'website',
    'industry',
    'monthly_spend',
    'session_count',
    'user_count',
    'remote_created_at',
    'created_at',
    'updated_at',
    'last_request_at',
    'tags',
    'segments',
  ],
};
const modelWord = (model: 'contact' | 'company'): string => (model === 'contact' ? 'people' : 'company');

function render(a: DataAttribute): Record<string, unknown> {
  return {
    type: 'data_attribute',
    id: a.id,
    model: a.model,
    name: a.name,
    full_name: `custom_attributes.${a.name}`,
    label: a.name,
    description: a.description,
    data_type: a.data_type,
    options: a.options,
    api_writable: true,
    messenger_writable: a.messenger_writable,
    ui_writable: true,
    custom: true,
    archived: a.archived,
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

function renderStandard(model: 'contact' | 'company', name: string): Record<string, unknown> {
  return {
    type: 'data_attribute',
    model,
    name,
    full_name: name,
    label: name,
    description: '',
    data_type: 'string',
    api_writable: false,
    messenger_writable: false,
    ui_writable: false,
    custom: false,
    archived: false,
  };
}

function readOptions(raw: unknown): string[] {
  if (!Array.isArray(raw)) throw badRequest('parameter_invalid', "Options isn't an array");
  return raw.map((o: unknown) => {
    const value = (o ?? {}) as { value?: unknown };
    if (typeof value.value !== 'string') throw badRequest('parameter_invalid', 'Each option needs a string value');
    return value.value;
  });
}

export function registerDataAttributes(router: Router<Store>): void {
  router.add('GET', '/data_attributes', ({ query, store, version }) => {
    const model = query.get('model');
    if (model === 'conversation' && versionAtLeast(version, '2.16')) {
      throw new ApiError(
        422,
        'parameter_invalid',
        'model=conversation is no longer supported. Use GET /conversations/attributes instead',
      );
    }
    const includeArchived = query.get('include_archived') === 'true';
    const models: ('contact' | 'company')[] =
      model === 'contact' || model === 'company' ? [model] : ['contact', 'company'];
    const standard = models.flatMap((m) => STANDARD[m].map((n) => renderStandard(m, n)));
    const custom = Object.values(store.state.dataAttributes)
      .filter((a) => models.includes(a.model) && (includeArchived || !a.archived))
      .map(render);
    return { body: { type: 'list', data: [...standard, ...custom] } };
  });

  router.add('POST', '/data_attributes', ({ body, store }) => {
    const b = bodyObject(body);
    const name = requireString(b, 'name');
    const model = requireString(b, 'model');
    if (model !== 'contact' && model !== 'company')
      throw badRequest('parameter_invalid', 'The Data Attribute model field must be either contact or company');
    const dataType = requireString(b, 'data_type');
    if (!DATA_TYPES.includes(dataType)) throw badRequest('parameter_invalid', "Data Type isn't an option");
    if (!NAME_PATTERN.test(name))
      throw badRequest(
        'parameter_invalid',
        'Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens',
      );
    // Names are unique across contact and company data, archived ones included.
    const lower = name.toLowerCase();
    const clash =
      (['contact', 'company'] as const).find((m) => STANDARD[m].includes(lower)) ??
      Object.values(store.state.dataAttributes).find((a) => a.name.toLowerCase() === lower)?.model;
    if (clash)
      throw badRequest(
        'parameter_invalid',
        `You already have '${name}' in your ${modelWord(clash)} data. To save this as new ${modelWord(model)} data, use a different name.`,
      );
    const active = Object.values(store.state.dataAttributes).filter((a) => !a.archived).length;
    if (active >= MAX_CUSTOM_ATTRIBUTES) {
      throw badRequest(
        'parameter_invalid',
        `You have reached the limit of ${MAX_CUSTOM_ATTRIBUTES} custom data attributes. Archive unused attributes to free up space.`,
      );
    }
    const options = dataType === 'options' ? readOptions(b.options) : [];
    if (dataType === 'options' && options.length < 2)
      throw badRequest('parameter_invalid', 'At least two options are required');
    const now = store.now();
    const attribute: DataAttribute = {
      id: store.nextNumber('data_attribute'),
      model,
      name,
      description: optString(b, 'description') ?? '',
      data_type: dataType,
      options,
      messenger_writable: optBool(b, 'messenger_writable') ?? false,
      archived: false,
      created_at: now,
      updated_at: now,
    };
    store.state.dataAttributes[String(attribute.id)] = attribute;
    store.changed('dataAttributes', String(attribute.id));
    return { body: render(attribute) };
  });

  /** No DELETE: archiving is the only way to retire an attribute. */
  router.add('PUT', '/data_attributes/:id', ({ params, body, store }) => {
    const attribute = store.state.dataAttributes[params.id ?? ''];
    if (!attribute) throw new ApiError(404, 'field_not_found', "We couldn't find that data attribute to update");
    const b = bodyObject(body);
    const archived = optBool(b, 'archived');
    if (archived === false && attribute.archived) {
      const active = Object.values(store.state.dataAttributes).filter((a) => !a.archived).length;
      if (active >= MAX_CUSTOM_ATTRIBUTES)
        throw badRequest(
          'parameter_invalid',
          `You have reached the limit of ${MAX_CUSTOM_ATTRIBUTES} custom data attributes. Archive unused attributes to free up space.`,
        );
    }
    if (archived !== undefined) attribute.archived = archived;
    const description = optString(b, 'description');
    if (description != null) attribute.description = description;
    const messengerWritable = optBool(b, 'messenger_writable');
    if (messengerWritable !== undefined) attribute.messenger_writable = messengerWritable;
    if (b.options !== undefined) attribute.options = readOptions(b.options);
    attribute.updated_at = store.now();
    store.changed('dataAttributes', String(attribute.id));
    return { body: render(attribute) };
  });
}
