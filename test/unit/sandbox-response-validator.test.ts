import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { parse } from 'yaml';

import { relaxationFor, RESPONSE_RELAXATIONS } from '../../src/sandbox/openapi/response-relaxations';
import { loadOpenApiValidator } from '../../src/sandbox/openapi/validator';

// The sandbox's response checker: it must catch an answer that departs from the 2.16 response schema,
// and excuse only what a listed relaxation names.

const openapiPath = process.env.INTERCOM_OPENAPI;
const skip = !openapiPath || !existsSync(openapiPath) ? 'INTERCOM_OPENAPI is not set to the 2.16 description' : false;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walks the description

/** The description's own first example of an operation's answer. */
function exampleOf(doc: Json, path: string, method: string, status: string): Json {
  const examples = doc.paths[path][method].responses[status].content['application/json'].examples as Record<
    string,
    { value: Json }
  >;
  return structuredClone(Object.values(examples)[0]!.value);
}

test('the response checker catches wrong answers and excuses only the listed relaxations', { skip }, async () => {
  const validator = await loadOpenApiValidator(openapiPath!);
  const doc = parse(readFileSync(openapiPath!, 'utf8'), { maxAliasCount: -1 }) as Json;
  const contact = exampleOf(doc, '/contacts/{contact_id}', 'get', '200');
  const get = (body: unknown) =>
    validator.validateResponse({ method: 'GET', path: `/contacts/${String(contact.id)}`, status: 200, body });

  // Intercom's own example passes, thanks to the relative list urls' relaxation only.
  const own = get(contact);
  assert.equal(own.operation, 'GET /contacts/{contact_id}');
  assert.deepEqual(own.errors, []);
  assert.ok(own.relaxed > 0, 'the example holds relative urls the description types as uri');
  const strict = validator.validateResponse(
    { method: 'GET', path: `/contacts/${String(contact.id)}`, status: 200, body: contact },
    [],
  );
  assert.ok(strict.errors.some((e) => e.where === 'response/tags/url' && e.keyword === 'format'));

  // Deliberately wrong: a number for the email, null for a non-nullable field, a string where an object is declared.
  const wrong = get({ ...contact, email: 42, has_hard_bounced: null });
  assert.deepEqual(wrong.errors.map((e) => e.where).sort(), ['response/email', 'response/has_hard_bounced']);
  assert.equal(wrong.relaxed, own.relaxed);
  const companies = exampleOf(doc, '/companies', 'get', '200');
  const listed = validator.validateResponse({
    method: 'GET',
    path: '/companies',
    status: 200,
    body: { ...companies, pages: { ...companies.pages, next: '/companies?page=2' } },
  });
  assert.ok(
    listed.errors.some((e) => e.where.startsWith('response/pages/next')),
    JSON.stringify(listed.errors),
  );

  // Not checked: a status the operation does not describe, a path outside the description.
  assert.deepEqual(
    validator.validateResponse({ method: 'GET', path: '/contacts/abc', status: 418, body: { nonsense: true } }).errors,
    [],
  );
  assert.deepEqual(
    validator.validateResponse({ method: 'GET', path: '/no/such/path', status: 200, body: 1 }).errors,
    [],
  );
  // A described error status is checked too.
  assert.ok(
    validator.validateResponse({ method: 'GET', path: '/contacts/abc', status: 401, body: { type: 7 } }).errors.length >
      0,
  );
});

test('relaxations: each names an operation, a pointer and a reason, and matches only its place', () => {
  for (const r of RESPONSE_RELAXATIONS) {
    assert.match(r.operation, /^(\*|(GET|POST|PUT|DELETE|PATCH) \/\S*)$/);
    assert.match(r.pointer, /^(\/[^/]+)+$/);
    assert.ok(r.why.length > 40, 'a reason, not a label');
  }
  assert.ok(relaxationFor(RESPONSE_RELAXATIONS, 'GET /contacts', '/data/3/tags/url', 'format'));
  assert.ok(relaxationFor(RESPONSE_RELAXATIONS, 'GET /contacts/{contact_id}', '/companies/data/0/url', 'format'));
  assert.equal(
    relaxationFor(RESPONSE_RELAXATIONS, 'GET /contacts/{contact_id}', '/tags/url', 'type'),
    undefined,
    'only the named keyword',
  );
  assert.equal(relaxationFor(RESPONSE_RELAXATIONS, 'GET /contacts/{contact_id}', '/email', 'format'), undefined);
});
