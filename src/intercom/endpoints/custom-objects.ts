import { DeletedObject } from '../schemas/common';
import type { CustomObjectInstance, CustomObjectInstanceRequest } from '../schemas/custom-objects';
import {
  CustomObjectInstance as CustomObjectInstanceSchema,
  CustomObjectInstanceRequest as CustomObjectInstanceRequestSchema,
} from '../schemas/custom-objects';
import { Endpoints, orUndefined, seg, validated } from './shared';

/** Instances of custom object types defined in the Intercom UI (types cannot be created by API). */
export class CustomObjectsApi extends Endpoints {
  /** Upsert keyed on external_id: a replay updates the same instance (idempotent by nature). */
  async createOrUpdate(type: string, body: CustomObjectInstanceRequest): Promise<CustomObjectInstance> {
    const path = `/custom_object_instances/${seg(type)}`;
    const label = `external_id=${body.external_id}`;
    const data = validated(
      CustomObjectInstanceRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path, label }),
    );
    return this.transport.request({
      method: 'POST',
      path,
      body: data,
      label,
      response: CustomObjectInstanceSchema,
      replay: { idempotent: 'custom object instances upsert on external_id' },
    });
  }

  async get(type: string, id: string): Promise<CustomObjectInstance> {
    return this.transport.request({
      method: 'GET',
      path: `/custom_object_instances/${seg(type)}/${seg(id)}`,
      response: CustomObjectInstanceSchema,
    });
  }

  async findByExternalId(type: string, externalId: string): Promise<CustomObjectInstance | undefined> {
    return orUndefined(
      this.transport.request({
        method: 'GET',
        path: `/custom_object_instances/${seg(type)}`,
        query: { external_id: externalId },
        label: `external_id=${externalId}`,
        response: CustomObjectInstanceSchema,
      }),
    );
  }

  async delete(type: string, id: string): Promise<{ id: string; deleted: boolean }> {
    return this.transport.request({
      method: 'DELETE',
      path: `/custom_object_instances/${seg(type)}/${seg(id)}`,
      response: DeletedObject,
    });
  }

  async deleteByExternalId(type: string, externalId: string): Promise<{ id: string; deleted: boolean }> {
    return this.transport.request({
      method: 'DELETE',
      path: `/custom_object_instances/${seg(type)}`,
      query: { external_id: externalId },
      label: `external_id=${externalId}`,
      response: DeletedObject,
    });
  }
}
