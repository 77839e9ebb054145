import { badRequest, notFound } from '../http/errors';
import type { Router } from '../http/router';
import type { Store } from '../state/store';
import type { Article, Collection } from '../state/types';
import { bodyObject, optInt, optString, requireString } from './common';
import { numberedPage } from './paging';

const HC_URL = 'https://intercom.help/sandbox/en';

const wordsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

function renderCollection(store: Store, c: Collection): Record<string, unknown> {
  return {
    id: c.id,
    workspace_id: store.state.workspace.id_code,
    name: c.name,
    url: `${HC_URL}/collections/${c.id}`,
    order: c.order,
    created_at: c.created_at,
    updated_at: c.updated_at,
    description: c.description,
    icon: 'book-bookmark',
    parent_id: c.parent_id,
    help_center_id: c.help_center_id,
    default_locale: 'en',
    translated_content: c.translated_content ?? null,
  };
}

function parentIds(store: Store, a: Article): number[] {
  const ids: number[] = [];
  let current = a.parent_id === null ? undefined : store.state.collections[String(a.parent_id)];
  while (current) {
    ids.push(Number(current.id));
    current = current.parent_id === null ? undefined : store.state.collections[current.parent_id];
  }
  return ids;
}

function renderArticle(store: Store, a: Article): Record<string, unknown> {
  return {
    type: 'article',
    id: a.id,
    workspace_id: store.state.workspace.id_code,
    parent_id: a.parent_id,
    parent_type: a.parent_type,
    parent_ids: parentIds(store, a),
    title: a.title,
    description: a.description,
    body: a.body,
    author_id: a.author_id,
    state: a.state,
    created_at: a.created_at,
    updated_at: a.updated_at,
    url: a.state === 'published' ? `${HC_URL}/articles/${a.id}` : null,
    default_locale: 'en',
    translated_content: a.translated_content ?? null,
    statistics: {
      type: 'article_statistics',
      views: 0,
      conversions: 0,
      reactions: 0,
      happy_reaction_percentage: 0,
      neutral_reaction_percentage: 0,
      sad_reaction_percentage: 0,
    },
    tags: { type: 'tag.list', tags: [] },
  };
}

function defaultHelpCenterId(store: Store): number {
  const hc = store.state.helpCenters.find((h) => h.default) ?? store.state.helpCenters[0];
  if (!hc) throw badRequest('parameter_invalid', 'This workspace has no help center');
  return Number(hc.id);
}

function readParentCollection(store: Store, raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const id = String(raw);
  if (!store.state.collections[id]) throw notFound('Resource Not Found');
  return id;
}

function readArticleFields(store: Store, a: Article, b: Record<string, unknown>): void {
  const title = optString(b, 'title');
  if (title) a.title = title;
  const description = optString(b, 'description');
  if (description !== undefined) a.description = description;
  const body = optString(b, 'body');
  if (body !== undefined) a.body = body;
  if (b.state !== undefined) {
    if (b.state !== 'published' && b.state !== 'draft')
      throw badRequest('parameter_invalid', 'state must be one of published, draft');
    a.state = b.state;
  }
  if (b.author_id !== undefined) {
    const author = Number(b.author_id);
    if (!store.state.admins.some((admin) => Number(admin.id) === author))
      throw badRequest('parameter_invalid', 'author_id must be a teammate of this workspace');
    a.author_id = author;
  }
  if (b.parent_id !== undefined) {
    a.parent_id = b.parent_id === null ? null : Number(readParentCollection(store, b.parent_id));
  }
  if (b.parent_type !== undefined) {
    if (b.parent_type !== null && b.parent_type !== 'collection' && b.parent_type !== 'section')
      throw badRequest('parameter_invalid', 'parent_type must be collection or section');
    a.parent_type = b.parent_type;
  }
  if (b.translated_content !== undefined) a.translated_content = b.translated_content;
}

export function registerHelpCenter(router: Router<Store>): void {
  const renderHelpCenter = (store: Store, id: string) => {
    const h = store.state.helpCenters.find((x) => x.id === id);
    if (!h) throw notFound('Resource Not Found');
    return {
      id: h.id,
      workspace_id: store.state.workspace.id_code,
      created_at: h.created_at,
      updated_at: h.created_at,
      identifier: h.identifier,
      website_turned_on: h.website_turned_on,
      display_name: h.display_name,
      url: `https://intercom.help/${h.identifier}`,
      custom_domain: null,
      default: h.default,
      locales: ['en'],
    };
  };
  router.add('GET', '/help_center/help_centers', ({ query, store }) => {
    const page = numberedPage(store.state.helpCenters, query.get('page'), query.get('per_page'), 50);
    return {
      body: {
        type: 'list',
        data: page.data.map((h) => renderHelpCenter(store, h.id)),
        total_count: page.total_count,
        pages: page.pages,
      },
    };
  });
  router.add('GET', '/help_center/help_centers/:id', ({ params, store }) => ({
    body: renderHelpCenter(store, params.id ?? ''),
  }));

  router.add('POST', '/help_center/collections', ({ body, store }) => {
    const b = bodyObject(body);
    if (typeof b.name !== 'string' || b.name === '')
      throw badRequest('parameter_not_found', 'Name is a required parameter.');
    const helpCenterId = optInt(b, 'help_center_id') ?? defaultHelpCenterId(store);
    if (!store.state.helpCenters.some((h) => Number(h.id) === helpCenterId)) throw notFound('Resource Not Found');
    const now = store.now();
    const collection: Collection = {
      id: store.nextNumericId('collection'),
      name: b.name,
      description: optString(b, 'description') ?? null,
      parent_id: readParentCollection(store, b.parent_id),
      help_center_id: helpCenterId,
      translated_content: b.translated_content,
      order: Object.keys(store.state.collections).length + 1,
      created_at: now,
      updated_at: now,
    };
    store.state.collections[collection.id] = collection;
    store.changed('collections', collection.id);
    return { body: renderCollection(store, collection) };
  });
  router.add('GET', '/help_center/collections', ({ query, store }) => {
    const all = Object.values(store.state.collections).sort((a, b) => b.updated_at - a.updated_at);
    const page = numberedPage(all, query.get('page'), query.get('per_page'), 50);
    return {
      body: {
        type: 'list',
        data: page.data.map((c) => renderCollection(store, c)),
        total_count: page.total_count,
        pages: page.pages,
      },
    };
  });
  router.add('GET', '/help_center/collections/:id', ({ params, store }) => {
    const c = store.state.collections[params.id ?? ''];
    if (!c) throw notFound('Resource Not Found');
    return { body: renderCollection(store, c) };
  });
  router.add('PUT', '/help_center/collections/:id', ({ params, body, store }) => {
    const c = store.state.collections[params.id ?? ''];
    if (!c) throw notFound('Resource Not Found');
    const b = bodyObject(body);
    const name = optString(b, 'name');
    if (name) c.name = name;
    const description = optString(b, 'description');
    if (description !== undefined) c.description = description;
    if (b.parent_id !== undefined) {
      const parent = readParentCollection(store, b.parent_id);
      if (parent === c.id) throw badRequest('parameter_invalid', 'A collection cannot be its own parent');
      c.parent_id = parent;
    }
    if (b.translated_content !== undefined) c.translated_content = b.translated_content;
    c.updated_at = store.now();
    store.changed('collections', c.id);
    return { body: renderCollection(store, c) };
  });
  /** Undocumented in Intercom; the sandbox lifts children one level up and detaches articles. */
  router.add('DELETE', '/help_center/collections/:id', ({ params, store }) => {
    const c = store.state.collections[params.id ?? ''];
    if (!c) throw notFound('Resource Not Found');
    delete store.state.collections[c.id];
    store.changed('collections', c.id);
    for (const child of Object.values(store.state.collections)) {
      if (child.parent_id !== c.id) continue;
      child.parent_id = c.parent_id;
      store.changed('collections', child.id);
    }
    for (const a of Object.values(store.state.articles)) {
      if (String(a.parent_id) !== c.id) continue;
      a.parent_id = null;
      a.parent_type = null;
      store.changed('articles', a.id);
    }
    return { body: { id: c.id, object: 'collection', deleted: true } };
  });

  router.add('POST', '/articles', ({ body, store }) => {
    const b = bodyObject(body);
    const title = requireString(b, 'title');
    if (b.author_id === undefined || b.author_id === null)
      throw badRequest(
        'parameter_not_found',
        'author_id must be in the main body or default locale translated_content object',
      );
    const now = store.now();
    const article: Article = {
      id: store.nextNumericId('article'),
      title,
      description: null,
      body: null,
      author_id: 0,
      state: 'draft',
      parent_id: null,
      parent_type: null,
      created_at: now,
      updated_at: now,
    };
    readArticleFields(store, article, b);
    if (article.parent_id !== null && article.parent_type === null) article.parent_type = 'collection';
    store.state.articles[article.id] = article;
    store.changed('articles', article.id);
    return { body: renderArticle(store, article) };
  });
  router.add('GET', '/articles', ({ query, store }) => {
    const all = Object.values(store.state.articles).sort((a, b) => b.updated_at - a.updated_at);
    const page = numberedPage(all, query.get('page'), query.get('per_page'), 50);
    return {
      body: {
        type: 'list',
        data: page.data.map((a) => renderArticle(store, a)),
        total_count: page.total_count,
        pages: page.pages,
      },
    };
  });
  // Articles whose title, description or body holds every word of `phrase` (case-insensitive),
  // optionally only in one state; 2.16's article_search_response shape (highlights not computed).
  router.add('GET', '/articles/search', ({ query, store }) => {
    const words = wordsOf(query.get('phrase') ?? '');
    const state = query.get('state');
    if (state !== null && state !== 'published' && state !== 'draft' && state !== 'all')
      throw badRequest('parameter_invalid', 'state must be published, draft or all');
    const hits = Object.values(store.state.articles).filter((a) => {
      if (state !== null && state !== 'all' && a.state !== state) return false;
      const text = new Set(wordsOf(`${a.title} ${a.description ?? ''} ${(a.body ?? '').replace(/<[^>]*>/g, ' ')}`));
      return words.every((w) => text.has(w));
    });
    return {
      body: {
        type: 'list',
        total_count: hits.length,
        data: { articles: hits.map((a) => renderArticle(store, a)), highlights: [] },
        pages: { type: 'pages', page: 1, per_page: Math.max(hits.length, 1), total_pages: 1 },
      },
    };
  });
  router.add('GET', '/articles/:id', ({ params, store }) => {
    const a = store.state.articles[params.id ?? ''];
    if (!a) throw notFound('Resource Not Found');
    return { body: renderArticle(store, a) };
  });
  router.add('PUT', '/articles/:id', ({ params, body, store }) => {
    const a = store.state.articles[params.id ?? ''];
    if (!a) throw notFound('Resource Not Found');
    readArticleFields(store, a, bodyObject(body));
    a.updated_at = store.now();
    store.changed('articles', a.id);
    return { body: renderArticle(store, a) };
  });
  router.add('DELETE', '/articles/:id', ({ params, store }) => {
    const a = store.state.articles[params.id ?? ''];
    if (!a) throw notFound('Resource Not Found');
    delete store.state.articles[a.id];
    store.changed('articles', a.id);
    return { body: { id: a.id, object: 'article', deleted: true } };
  });
}
