import { z } from 'zod';
import { InvalidRequestError, NotFoundError } from '../errors';
import type { Transport } from '../transport';

export const seg = (id: string | number): string => encodeURIComponent(String(id));

/** Checks a request body against its 2.16 schema before anything is sent. */
export function validated<S extends z.ZodType>(schema: S, body: z.input<S>, request: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new InvalidRequestError({ request, issues });
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
