import { ApiError, badRequest, notFound } from '../http/errors';
import type { Router } from '../http/router';
import { dict } from '../state/dict';
import type { Store } from '../state/store';
import type { CustomObjectInstance } from '../state/types';
import { bodyObject, optInt, requireString } from './common';

/**
 * Custom object types exist only if seeded: Intercom defines them in its UI, not through the API.
 * A read gets an empty map without storing it, so that only writes change the state.
 */
function instancesOf(store: Store, type: string, forWrite = false): Record<string, CustomObjectInstance> {
  if (!store.state.customObjectTypes.includes(type))
    throw new ApiError(404, 'not_found', `Custom object type \`${type}\` not found`);
  if (!forWrite) return store.state.customObjects[type] ?? dict();
  store.state.customObjects[type] ??= dict();
  return store.state.customObjects[type];
}

function find(instances: Record<string, CustomObjectInstance>, idOrExternal: string): CustomObjectInstance {
  const instance = instances[idOrExternal] ?? Object.values(instances).find((i) => i.external_id === idOrExternal);
  if (!instance) throw notFound('Resource Not Found');
  return instance;
}

const render = (i: CustomObjectInstance): Record<string, unknown> => ({
  id: i.id,
  type: i.type,
  external_id: i.external_id,
  external_created_at: i.external_created_at,
  external_updated_at: i.external_updated_at,
  custom_attributes: i.custom_attributes,
  created_at: i.created_at,
  updated_at: i.updated_at,
});

export function registerCustomObjects(router: Router<Store>): void {
  router.add('POST', '/custom_object_instances/:type', ({ params, body, store }) => {
    const type = params.type ?? '';
    const instances = instancesOf(store, type, true);
    const b = bodyObject(body);
    const externalId = requireString(b, 'external_id');
    const attributes = b.custom_attributes ?? {};
    if (typeof attributes !== 'object' || Array.isArray(attributes))
      throw badRequest('parameter_invalid', 'custom_attributes must be an object');
    const now = store.now();
    const existing = Object.values(instances).find((i) => i.external_id === externalId);
    const instance: CustomObjectInstance = existing ?? {
      id: store.nextNumericId('custom_object'),
      type,
      external_id: externalId,
      external_created_at: null,
      external_updated_at: null,
      custom_attributes: dict(),
      created_at: now,
      updated_at: now,
    };
    instance.external_created_at = optInt(b, 'external_created_at') ?? instance.external_created_at;
    instance.external_updated_at = optInt(b, 'external_updated_at') ?? instance.external_updated_at;
    instance.custom_attributes = dict([
      ...Object.entries(instance.custom_attributes),
      ...Object.entries(attributes as Record<string, unknown>),
    ]);
    instance.updated_at = now;
    instances[instance.id] = instance;
    store.changed('customObjects', type, instance.id);
    return { body: render(instance) };
  });
  router.add('GET', '/custom_object_instances/:type', ({ params, query, store }) => {
    const instances = instancesOf(store, params.type ?? '');
    const externalId = query.get('external_id');
    if (externalId === null) throw badRequest('parameter_not_found', 'external_id is a required parameter.');
    return { body: render(find(instances, externalId)) };
  });
  router.add('GET', '/custom_object_instances/:type/:id', ({ params, store }) => ({
    body: render(find(instancesOf(store, params.type ?? ''), params.id ?? '')),
  }));
  const remove = (store: Store, type: string, key: string) => {
    const instances = instancesOf(store, type);
    const instance = find(instances, key);
    delete instances[instance.id];
    store.changed('customObjects', type, instance.id);
    return { body: { id: instance.id, object: type, deleted: true } };
  };
  router.add('DELETE', '/custom_object_instances/:type', ({ params, query, store }) => {
    const externalId = query.get('external_id');
    if (externalId === null) throw badRequest('parameter_not_found', 'external_id is a required parameter.');
    return remove(store, params.type ?? '', externalId);
  });
  router.add('DELETE', '/custom_object_instances/:type/:id', ({ params, store }) =>
    remove(store, params.type ?? '', params.id ?? ''),
  );
}
