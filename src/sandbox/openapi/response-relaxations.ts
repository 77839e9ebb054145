/**
 * Where the sandbox's responses may depart from Intercom's 2.16 response schemas: only where the
 * description contradicts its own examples or documented behaviour. Each entry excuses the findings
 * of one operation at one place of the response (a JSON pointer into the response body, `*` standing
 * for any one segment: an array index or a key). The list is also in src/sandbox/README.md.
 */
export interface ResponseRelaxation {
  /** `METHOD /path/template` as in the description, or `*` for every operation whose response holds the place. */
  operation: string;
  /** JSON pointer into the response body: `*` matches one segment, `**` any number (none included). */
  pointer: string;
  /** Only findings of this Ajv keyword (e.g. `format`) are excused; all at the place when absent. */
  keyword?: string;
  why: string;
}

const CONTACT_LIST_URL =
  "2.16's contact schema declares the `url` of a contact's tags, notes, companies and subscription lists as `format: uri`, " +
  'but every contact example of the description gives a path relative to the API ("/contacts/6762f0cd1bb69f9f2193bb7c/tags"); ' +
  'the sandbox answers as the examples do (and the items of those lists, of which no example shows one, in the same form: "/companies/<id>").';

export const RESPONSE_RELAXATIONS: readonly ResponseRelaxation[] = [
  ...['tags', 'notes', 'companies', 'opted_out_subscription_types', 'opted_in_subscription_types'].flatMap((list) => [
    { operation: '*', pointer: `/**/${list}/url`, keyword: 'format', why: CONTACT_LIST_URL },
    { operation: '*', pointer: `/**/${list}/data/*/url`, keyword: 'format', why: CONTACT_LIST_URL },
  ]),
];

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return path.length === 0;
  if (head === '**') return matches(rest, path) || (path.length > 0 && matches(pattern, path.slice(1)));
  return path.length > 0 && (head === '*' || head === path[0]) && matches(rest, path.slice(1));
}

/** The relaxation that excuses a finding (`keyword` at `instancePath`) of `operation`'s response, if any. */
export function relaxationFor(relaxations: readonly ResponseRelaxation[], operation: string, instancePath: string, keyword?: string): ResponseRelaxation | undefined {
  const path = instancePath.split('/').slice(1);
  return relaxations.find((r) => (r.operation === '*' || r.operation === operation) && (r.keyword === undefined || r.keyword === keyword) && matches(r.pointer.split('/').slice(1), path));
}
