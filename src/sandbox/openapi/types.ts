/** What the server needs from the OpenAPI request validator (absent when no description is configured). */
export interface RequestValidator {
  validate(request: { method: string; path: string; query: URLSearchParams; body: unknown }): { ok: true } | { ok: false; errors: unknown[] };
}
