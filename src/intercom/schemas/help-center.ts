import { z } from 'zod';

import { Id, Pages, Timestamp } from './common';

export const HelpCenter = z.looseObject({
  id: Id,
  workspace_id: z.string().nullish(),
  identifier: z.string().nullish(),
  display_name: z.string().nullish(),
  default: z.boolean().nullish(),
});
export type HelpCenter = z.infer<typeof HelpCenter>;

export const HelpCenterList = z.looseObject({ type: z.string().nullish(), data: z.array(HelpCenter) });

/** Collections (a "section" is a collection with a parent_id). parent_id is a string here. */
export const CreateCollectionRequest = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parent_id: z.string().nullable().optional(),
  help_center_id: z.number().int().nullable().optional(),
  translated_content: z.record(z.string(), z.unknown()).optional(),
});
export type CreateCollectionRequest = z.input<typeof CreateCollectionRequest>;

export const UpdateCollectionRequest = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  parent_id: z.string().nullable().optional(),
  translated_content: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateCollectionRequest = z.input<typeof UpdateCollectionRequest>;

export const Collection = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  name: z.string(),
  description: z.string().nullish(),
  parent_id: Id.nullish(),
  help_center_id: Id.nullish(),
  created_at: Timestamp.nullish(),
  updated_at: Timestamp.nullish(),
});
export type Collection = z.infer<typeof Collection>;

export const CollectionList = z.looseObject({
  type: z.string().nullish(),
  data: z.array(Collection),
  pages: Pages.nullish(),
  total_count: z.number().nullish(),
});

const ArticleState = z.enum(['published', 'draft']);

/** Create: parent_id is an integer and author_id an integer (a teammate). */
export const CreateArticleRequest = z
  .strictObject({
    title: z.string().min(1),
    author_id: z.number().int(),
    description: z.string().optional(),
    body: z.string().optional(),
    body_markdown: z.string().optional(),
    state: ArticleState.optional(),
    parent_id: z.number().int().nullable().optional(),
    parent_type: z.enum(['collection', 'section']).optional(),
    translated_content: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((b) => b.body === undefined || b.body_markdown === undefined, {
    message: 'body and body_markdown are exclusive',
    path: ['body_markdown'],
  });
export type CreateArticleRequest = z.input<typeof CreateArticleRequest>;

/** Update: parent_id is a string here (inconsistent with create, per the spec). */
export const UpdateArticleRequest = z.strictObject({
  title: z.string().min(1).optional(),
  author_id: z.number().int().optional(),
  description: z.string().optional(),
  body: z.string().optional(),
  body_markdown: z.string().optional(),
  state: ArticleState.optional(),
  parent_id: z.string().nullable().optional(),
  parent_type: z.enum(['collection', 'section']).optional(),
  translated_content: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateArticleRequest = z.input<typeof UpdateArticleRequest>;

export const Article = z.looseObject({
  type: z.string().nullish(),
  id: Id,
  title: z.string(),
  description: z.string().nullish(),
  body: z.string().nullish(),
  author_id: Id.nullish(),
  state: z.string().nullish(),
  parent_id: Id.nullish(),
  parent_type: z.string().nullish(),
  parent_ids: z.array(Id).nullish(),
  created_at: Timestamp.nullish(),
  updated_at: Timestamp.nullish(),
  url: z.string().nullish(),
});
export type Article = z.infer<typeof Article>;

export const ArticleList = z.looseObject({
  type: z.string().nullish(),
  data: z.array(Article),
  pages: Pages.nullish(),
  total_count: z.number().nullish(),
});
