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
  "2.16 declares the `url` of a contact's tags, notes, companies and subscription lists, and of their items (`addressable_list`), as `format: uri`, " +
  'but its own examples are paths relative to the API: every contact example ("/contacts/6762f0cd1bb69f9f2193bb7c/tags") and addressable_list\'s ' +
  'own example ("/contacts/5ba682d23d7cf92bef87bfd4/notes"); the sandbox answers as the examples do ("/tags/<id>" for an item).';

const ADDRESSABLE_TYPE =
  '2.16\'s `addressable_list` declares an item\'s `type` as `format: uri`, with the example "note": the type of the object listed ' +
  '("tag", "note", "company"), never a URI.';

const CONTACT_LISTS = ['tags', 'notes', 'companies', 'opted_out_subscription_types', 'opted_in_subscription_types'];

const DATA_TYPE_ECHOED =
  '2.16 creates a list data attribute with `data_type: "options"` (and accepts `datetime`), but its `data_attribute` response ' +
  'schema enumerates only string, integer, float, boolean and date, and no example shows how such an attribute is reported; ' +
  'the sandbox reports the type it was created with, which the product reads back.';

export const RESPONSE_RELAXATIONS: readonly ResponseRelaxation[] = [
  { operation: 'POST /data_attributes', pointer: '/data_type', keyword: 'enum', why: DATA_TYPE_ECHOED },
  {
    operation: 'PUT /data_attributes/{data_attribute_id}',
    pointer: '/data_type',
    keyword: 'enum',
    why: DATA_TYPE_ECHOED,
  },
  { operation: 'GET /data_attributes', pointer: '/data/*/data_type', keyword: 'enum', why: DATA_TYPE_ECHOED },
  ...CONTACT_LISTS.flatMap((list) => [
    { operation: '*', pointer: `/**/${list}/url`, keyword: 'format', why: CONTACT_LIST_URL },
    { operation: '*', pointer: `/**/${list}/data/*/url`, keyword: 'format', why: CONTACT_LIST_URL },
    { operation: '*', pointer: `/**/${list}/data/*/type`, keyword: 'format', why: ADDRESSABLE_TYPE },
  ]),
  {
    operation: 'GET /custom_object_instances/{custom_object_type_identifier}',
    pointer: '/type',
    keyword: 'enum',
    why:
      'The operation documents that with `external_id` it "returns a single matching instance (not a list)", whose `type` is the ' +
      'object type\'s name ("Order"), but its only 200 schema is the list, which requires `type: list`.',
  },
];

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return path.length === 0;
  if (head === '**') return matches(rest, path) || (path.length > 0 && matches(pattern, path.slice(1)));
  return path.length > 0 && (head === '*' || head === path[0]) && matches(rest, path.slice(1));
}

/** The relaxation that excuses a finding (`keyword` at `instancePath`) of `operation`'s response, if any. */
export function relaxationFor(
  relaxations: readonly ResponseRelaxation[],
  operation: string,
  instancePath: string,
  keyword?: string,
): ResponseRelaxation | undefined {
  const path = instancePath.split('/').slice(1);
  return relaxations.find(
    (r) =>
      (r.operation === '*' || r.operation === operation) &&
      (r.keyword === undefined || r.keyword === keyword) &&
      matches(r.pointer.split('/').slice(1), path),
  );
}
