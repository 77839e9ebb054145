import { z } from 'zod';

/**
 * Records keyed by data (ids, attribute names) live in objects without a prototype, so a key such as
 * `__proto__`, `constructor` or `toString` is an ordinary key: reading one that is absent gives
 * undefined, and writing one cannot change a prototype. Every keyed record of the state is a Dict.
 */
export type Dict<T> = Record<string, T>;

export function dict<T>(entries: Iterable<readonly [string, T]> = []): Dict<T> {
  const out = Object.create(null) as Dict<T>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** A copy of a record whose keyed fields (custom attributes) stay Dicts; structuredClone would give them a prototype. */
export function cloneRecord<T extends { custom_attributes: Dict<unknown> }>(record: T): T {
  const copy = structuredClone(record);
  copy.custom_attributes = dict(Object.entries(copy.custom_attributes));
  return copy;
}

/**
 * zod's record drops a `__proto__` key (it assigns it, which sets a prototype); this keeps every own
 * key of the input, validates each value and gives a Dict.
 */
export function dictOf<T extends z.ZodType>(value: T) {
  return z
    .custom<Record<string, unknown>>((raw) => typeof raw === 'object' && raw !== null && !Array.isArray(raw), {
      message: 'expected an object',
    })
    .transform((raw, ctx) => {
      const out = dict<z.output<T>>();
      for (const key of Object.keys(raw)) {
        const parsed = value.safeParse(raw[key]);
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            ctx.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path] });
          return z.NEVER;
        }
        out[key] = parsed.data;
      }
      return out;
    });
}
