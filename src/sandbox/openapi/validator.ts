import { readFile } from 'node:fs/promises';

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

import { relaxDocument } from './relaxations';
import { relaxationFor, RESPONSE_RELAXATIONS, type ResponseRelaxation } from './response-relaxations';
import type { RequestValidator, ResponseValidator } from './types';

type Json = Record<string, unknown>;
const DOC_ID = 'intercom-openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
}

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  pathNames: string[];
  literalCount: number;
  parameters: Parameter[];
  body?: { required: boolean; schema: Json };
  /** JSON response schemas by status code ('200', '404', 'default'). */
  responses: Map<string, Json>;
}

export interface ValidationIssue {
  where: string;
  message: string;
  keyword?: string;
  params?: unknown;
}

/** Rewrites local `#/components/...` refs to point into the document registered with Ajv. */
function rebaseRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebaseRefs);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DOC_ID}${v}` : rebaseRefs(v);
  return out;
}

function resolveRef(doc: Json, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && typeof (value as Json).$ref === 'string') {
    const pointer = ((value as Json).$ref as string).replace(/^#\//, '').split('/');
    return pointer.reduce<unknown>(
      (node, part) => (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
      doc,
    );
  }
  return value;
}

function operationsOf(doc: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    const pathNames: string[] = [];
    const segments = template.split('/').filter(Boolean);
    const regex = new RegExp(
      '^/' +
        segments
          .map((s) => {
            const m = /^\{(.+)\}$/.exec(s);
            if (m?.[1]) {
              pathNames.push(m[1]);
              return '([^/]+)';
            }
            return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          })
          .join('/') +
        '$',
    );
    const shared = ((item.parameters ?? []) as unknown[]).map((p) => resolveRef(doc, p) as Parameter);
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const own = ((op.parameters ?? []) as unknown[]).map((p) => resolveRef(doc, p) as Parameter);
      const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      const requestBody = resolveRef(doc, op.requestBody) as Json | undefined;
      const schema = ((requestBody?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as
        Json | undefined;
      const responses = new Map<string, Json>();
      for (const [status, response] of Object.entries((op.responses ?? {}) as Json)) {
        const resolved = resolveRef(doc, response) as Json | undefined;
        const jsonSchema = ((resolved?.content as Json | undefined)?.['application/json'] as Json | undefined)
          ?.schema as Json | undefined;
        if (jsonSchema) responses.set(status, jsonSchema);
      }
      operations.push({
        method: method.toUpperCase(),
        template,
        regex,
        pathNames,
        literalCount: segments.filter((s) => !s.startsWith('{')).length,
        parameters,
        ...(schema ? { body: { required: requestBody?.required === true, schema } } : {}),
        responses,
      });
    }
  }
  // Literal segments win (/contacts/search before /contacts/{contact_id}).
  return operations.sort((a, b) => b.literalCount - a.literalCount);
}

/** Query and path values arrive as text: coerce them to the declared scalar type before validating. */
function coerce(value: string, schema: Json | undefined): unknown {
  const type = schema?.type;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function describe(errors: ErrorObject[] | null | undefined, where: string): ValidationIssue[] {
  return (errors ?? []).slice(0, 20).map((e) => ({
    where: `${where}${e.instancePath}`,
    message: e.message ?? 'invalid',
    keyword: e.keyword,
    params: e.params,
  }));
}

/** What a response check found: the findings, and how many were excused by a listed relaxation. */
export interface ResponseVerdict {
  /** `METHOD /template` of the operation, when the description has one. */
  operation?: string;
  errors: ValidationIssue[];
  relaxed: number;
}

export class OpenApiValidator implements RequestValidator, ResponseValidator {
  private readonly ajv: Ajv;
  private readonly operations: Operation[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: Json) {
    const relaxed = relaxDocument(structuredClone(doc));
    this.operations = operationsOf(relaxed);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    // Intercom ids are 24-hex, not UUIDs, although from.id says `format: uuid`.
    this.ajv.addFormat('uuid', true);
    this.ajv.addSchema({ $id: DOC_ID, components: relaxed.components });
  }

  /** Compiled on first use and cached: most operations are never called. */
  private validatorFor(key: string, schema: Json): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(rebaseRefs(schema) as Json);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private operationFor(method: string, path: string): Operation | undefined {
    return this.operations.find((o) => o.method === method && o.regex.test(path));
  }

  /**
   * Checks a JSON response body against the operation's response schema for its status (the
   * operation found by method and path template, as for requests). A status the operation does not
   * describe, a path outside the description or a body that is not JSON is not checked. Findings a
   * listed relaxation covers (`response-relaxations.ts`) are counted, not reported.
   */
  validateResponse(
    response: { method: string; path: string; status: number; body: unknown },
    relaxations: readonly ResponseRelaxation[] = RESPONSE_RELAXATIONS,
  ): ResponseVerdict {
    const op = this.operationFor(response.method, response.path);
    if (!op) return { errors: [], relaxed: 0 };
    const operation = `${op.method} ${op.template}`;
    const schema = op.responses.get(String(response.status));
    if (!schema || response.body === undefined) return { operation, errors: [], relaxed: 0 };
    const fn = this.validatorFor(`${operation} response ${response.status}`, schema);
    if (fn(response.body)) return { operation, errors: [], relaxed: 0 };
    const errors: ValidationIssue[] = [];
    let relaxed = 0;
    for (const e of fn.errors ?? []) {
      if (relaxationFor(relaxations, operation, e.instancePath, e.keyword)) relaxed++;
      else if (errors.length < 20)
        errors.push({
          where: `response${e.instancePath}`,
          message: e.message ?? 'invalid',
          keyword: e.keyword,
          params: e.params,
        });
    }
    return { operation, errors, relaxed };
  }

  validate(request: {
    method: string;
    path: string;
    query: URLSearchParams;
    body: unknown;
  }): { ok: true } | { ok: false; errors: ValidationIssue[] } {
    const op = this.operationFor(request.method, request.path);
    if (!op) return { ok: true }; // not in the description: the router answers (404)
    const issues: ValidationIssue[] = [];
    const match = op.regex.exec(request.path);
    const pathValues = new Map(op.pathNames.map((name, i) => [name, decodeURIComponent(match?.[i + 1] ?? '')]));
    for (const param of op.parameters) {
      if (param.in !== 'path' && param.in !== 'query') continue;
      const raw = param.in === 'path' ? pathValues.get(param.name) : request.query.get(param.name);
      if (raw === undefined || raw === null) {
        if (param.required) issues.push({ where: `${param.in}.${param.name}`, message: 'is required' });
        continue;
      }
      let schema = param.schema;
      // NOTES §9: this one path types the (hex) contact id as integer.
      if (op.template === '/contacts/{contact_id}/notes' && param.name === 'contact_id') schema = { type: 'string' };
      if (!schema) continue;
      const fn = this.validatorFor(`${op.method} ${op.template} ${param.in}.${param.name}`, schema);
      if (!fn(coerce(raw, schema))) issues.push(...describe(fn.errors, `${param.in}.${param.name}`));
    }
    if (op.body) {
      if (request.body === undefined) {
        if (op.body.required) issues.push({ where: 'body', message: 'is required' });
      } else {
        const fn = this.validatorFor(`${op.method} ${op.template} body`, op.body.schema);
        if (!fn(request.body)) issues.push(...describe(fn.errors, 'body'));
      }
    }
    return issues.length === 0 ? { ok: true } : { ok: false, errors: issues };
  }
}

const cache = new Map<string, Promise<OpenApiValidator>>();

/** Loads (once per process and path) the OpenAPI description and builds a validator from it. */
export function loadOpenApiValidator(path: string): Promise<OpenApiValidator> {
  let pending = cache.get(path);
  if (!pending) {
    pending = readFile(path, 'utf8').then(
      (text) => new OpenApiValidator(parseYaml(text, { maxAliasCount: -1 }) as Json),
    );
    cache.set(path, pending);
    pending.catch(() => cache.delete(path));
  }
  return pending;
}
