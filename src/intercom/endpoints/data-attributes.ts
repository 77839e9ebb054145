import { lookupFor } from '../outcome';
import type {
  ConversationAttribute,
  CreateConversationAttributeRequest,
  CreateDataAttributeRequest,
  DataAttribute,
  UpdateConversationAttributeRequest,
  UpdateDataAttributeRequest,
} from '../schemas/data-attributes';
import {
  ConversationAttribute as ConversationAttributeSchema,
  ConversationAttributeList,
  CreateConversationAttributeRequest as CreateConversationAttributeRequestSchema,
  CreateDataAttributeRequest as CreateDataAttributeRequestSchema,
  DataAttribute as DataAttributeSchema,
  DataAttributeList,
  UpdateConversationAttributeRequest as UpdateConversationAttributeRequestSchema,
  UpdateDataAttributeRequest as UpdateDataAttributeRequestSchema,
} from '../schemas/data-attributes';
import { Endpoints, seg, validated } from './shared';

/**
 * Contact and company attributes live under /data_attributes; conversation attributes moved to
 * /conversations/attributes in 2.16 (`GET /data_attributes?model=conversation` is a 422 there).
 * Neither can be deleted: only archived.
 */
export class DataAttributesApi extends Endpoints {
  async list(model: 'contact' | 'company', includeArchived = false): Promise<DataAttribute[]> {
    const page = await this.transport.request({
      method: 'GET',
      path: '/data_attributes',
      query: { model, include_archived: includeArchived },
      response: DataAttributeList,
    });
    return page.data;
  }

  /** Not replayed on an unknown outcome (a replay would fail as a duplicate name): look it up by name. */
  async create(body: CreateDataAttributeRequest): Promise<DataAttribute> {
    const label = `${body.model} ${body.name}`;
    const data = validated(
      CreateDataAttributeRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path: '/data_attributes', label }),
    );
    return this.transport.request({
      method: 'POST',
      path: '/data_attributes',
      body: data,
      label,
      response: DataAttributeSchema,
      replay: { lookup: lookupFor.dataAttribute(data) },
    });
  }

  async update(id: string, body: UpdateDataAttributeRequest): Promise<DataAttribute> {
    const path = `/data_attributes/${seg(id)}`;
    const data = validated(UpdateDataAttributeRequestSchema, body, this.transport.describe({ method: 'PUT', path }));
    return this.transport.request({ method: 'PUT', path, body: data, response: DataAttributeSchema });
  }

  /** The only removal Intercom offers. 422 `data_invalid` when something depends on it. */
  async archive(id: string): Promise<DataAttribute> {
    return this.update(id, { archived: true });
  }

  async listConversationAttributes(includeArchived = false): Promise<ConversationAttribute[]> {
    const page = await this.transport.request({
      method: 'GET',
      path: '/conversations/attributes',
      query: { include_archived: includeArchived },
      response: ConversationAttributeList,
    });
    return page.data;
  }

  async createConversationAttribute(body: CreateConversationAttributeRequest): Promise<ConversationAttribute> {
    const label = `name=${body.name}`;
    const data = validated(
      CreateConversationAttributeRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path: '/conversations/attributes', label }),
    );
    return this.transport.request({
      method: 'POST',
      path: '/conversations/attributes',
      body: data,
      label,
      response: ConversationAttributeSchema,
      replay: { lookup: lookupFor.conversationAttribute(data) },
    });
  }

  async updateConversationAttribute(
    id: string,
    body: UpdateConversationAttributeRequest,
  ): Promise<ConversationAttribute> {
    const path = `/conversations/attributes/${seg(id)}`;
    const data = validated(
      UpdateConversationAttributeRequestSchema,
      body,
      this.transport.describe({ method: 'PUT', path }),
    );
    return this.transport.request({ method: 'PUT', path, body: data, response: ConversationAttributeSchema });
  }

  /** DELETE here is a soft delete: the attribute comes back with archived: true. */
  async archiveConversationAttribute(id: string): Promise<ConversationAttribute> {
    return this.transport.request({
      method: 'DELETE',
      path: `/conversations/attributes/${seg(id)}`,
      response: ConversationAttributeSchema,
    });
  }
}
