import { lookupFor } from '../outcome';
import type { NextPage } from '../pagination';
import { paginate } from '../pagination';
import { DeletedObject } from '../schemas/common';
import type {
  Article,
  Collection,
  CreateArticleRequest,
  CreateCollectionRequest,
  HelpCenter,
  UpdateArticleRequest,
  UpdateCollectionRequest,
} from '../schemas/help-center';
import {
  Article as ArticleSchema,
  ArticleList,
  Collection as CollectionSchema,
  CollectionList,
  CreateArticleRequest as CreateArticleRequestSchema,
  CreateCollectionRequest as CreateCollectionRequestSchema,
  HelpCenterList,
  UpdateArticleRequest as UpdateArticleRequestSchema,
  UpdateCollectionRequest as UpdateCollectionRequestSchema,
} from '../schemas/help-center';
import { Endpoints, seg, validated } from './shared';

const pageQuery = (next: NextPage, perPage: number): Record<string, string | number> => ({
  per_page: perPage,
  ...(next === undefined
    ? {}
    : 'starting_after' in next
      ? { starting_after: next.starting_after }
      : { page: next.page }),
});

/** Help centers, collections (sections are collections with a parent) and articles. */
export class HelpCenterApi extends Endpoints {
  async listHelpCenters(): Promise<HelpCenter[]> {
    return (
      await this.transport.request({ method: 'GET', path: '/help_center/help_centers', response: HelpCenterList })
    ).data;
  }

  listCollections(perPage = 50): AsyncGenerator<Collection> {
    return paginate(async (next) => {
      const page = await this.transport.request({
        method: 'GET',
        path: '/help_center/collections',
        query: pageQuery(next, perPage),
        response: CollectionList,
      });
      return { items: page.data, pages: page.pages };
    });
  }

  /** Not idempotent (names need not be unique): an unknown outcome is looked up by name and parent. */
  async createCollection(body: CreateCollectionRequest): Promise<Collection> {
    const label = `name=${body.name}`;
    const path = '/help_center/collections';
    const data = validated(
      CreateCollectionRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path, label }),
    );
    return this.transport.request({
      method: 'POST',
      path,
      body: data,
      label,
      response: CollectionSchema,
      replay: { lookup: lookupFor.collection(data) },
    });
  }

  async updateCollection(id: string, body: UpdateCollectionRequest): Promise<Collection> {
    const path = `/help_center/collections/${seg(id)}`;
    const data = validated(UpdateCollectionRequestSchema, body, this.transport.describe({ method: 'PUT', path }));
    return this.transport.request({ method: 'PUT', path, body: data, response: CollectionSchema });
  }

  async deleteCollection(id: string): Promise<{ id: string; deleted: boolean }> {
    return this.transport.request({
      method: 'DELETE',
      path: `/help_center/collections/${seg(id)}`,
      response: DeletedObject,
    });
  }

  listArticles(perPage = 50): AsyncGenerator<Article> {
    return paginate(async (next) => {
      const page = await this.transport.request({
        method: 'GET',
        path: '/articles',
        query: pageQuery(next, perPage),
        response: ArticleList,
      });
      return { items: page.data, pages: page.pages };
    });
  }

  async getArticle(id: string): Promise<Article> {
    return this.transport.request({ method: 'GET', path: `/articles/${seg(id)}`, response: ArticleSchema });
  }

  /** Not idempotent: an unknown outcome is looked up by title and parent. */
  async createArticle(body: CreateArticleRequest): Promise<Article> {
    const label = `title=${body.title}`;
    const data = validated(
      CreateArticleRequestSchema,
      body,
      this.transport.describe({ method: 'POST', path: '/articles', label }),
    );
    return this.transport.request({
      method: 'POST',
      path: '/articles',
      body: data,
      label,
      response: ArticleSchema,
      replay: { lookup: lookupFor.article(data) },
    });
  }

  async updateArticle(id: string, body: UpdateArticleRequest): Promise<Article> {
    const path = `/articles/${seg(id)}`;
    const data = validated(UpdateArticleRequestSchema, body, this.transport.describe({ method: 'PUT', path }));
    return this.transport.request({ method: 'PUT', path, body: data, response: ArticleSchema });
  }

  async deleteArticle(id: string): Promise<{ id: string; deleted: boolean }> {
    return this.transport.request({ method: 'DELETE', path: `/articles/${seg(id)}`, response: DeletedObject });
  }
}
