import { z } from 'zod';

import { zodIssues } from '../../model/zod-issues';
import { InvalidRequestError, NotFoundError } from '../errors';
import { type Page, paginate } from '../pagination';
import { type SearchQuery, SearchQuery as SearchQuerySchema } from '../schemas/common';
import type { Transport } from '../transport';

export const seg = (id: string | number): string => encodeURIComponent(String(id));

/** Checks a request body against its 2.16 schema before anything is sent. */
export function validated<S extends z.ZodType>(schema: S, body: z.input<S>, request: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError({ request, issues: zodIssues(parsed.error, 5) });
}

/** Runs a lookup and turns "not found" into undefined. */
export async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** Some endpoints (DELETE /tags/{id}) answer 200 with an empty body. */
export const EmptyBody = z.unknown();

export abstract class Endpoints {
  constructor(protected readonly transport: Transport) {}
}

/** Every hit of a search (`POST /contacts/search`, …), page by page with `starting_after`. A search only reads. */
export function searchHits<L, T>(
  transport: Transport,
  path: string,
  query: SearchQuery,
  perPage: number,
  response: z.ZodType<L>,
  hits: (page: L) => Page<T>,
): AsyncGenerator<T> {
  return paginate(async (next) => {
    const q = validated(SearchQuerySchema, query, `POST ${path}`);
    const pagination = {
      per_page: perPage,
      ...(next !== undefined && 'starting_after' in next ? { starting_after: next.starting_after } : {}),
    };
    const page = await transport.request({
      method: 'POST',
      path,
      body: { query: q, pagination },
      response,
      replay: { idempotent: 'a search only reads' },
    });
    return hits(page);
  });
}

/** A reply's label in messages: `admin note, created_at=1600000000`. */
export const replyLabel = (who: string, createdAt: number | undefined): string =>
  `${who}${createdAt !== undefined ? `, created_at=${createdAt}` : ''}`;

/** The contact a contact reply names by Intercom id, as request fields (`{}` when named by email or user_id). */
export const replyingContact = (data: object): { contactId?: string } =>
  'intercom_user_id' in data && typeof data.intercom_user_id === 'string' ? { contactId: data.intercom_user_id } : {};
