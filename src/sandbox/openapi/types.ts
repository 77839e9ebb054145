/** What the server needs from the OpenAPI request validator (absent when no description is configured). */
export interface RequestValidator {
  validate(request: {
    method: string;
    path: string;
    query: URLSearchParams;
    body: unknown;
  }): { ok: true } | { ok: false; errors: unknown[] };
}

/** What the server needs from the OpenAPI response checker: findings outside the listed relaxations. */
export interface ResponseValidator {
  validateResponse(response: { method: string; path: string; status: number; body: unknown }): {
    operation?: string;
    errors: unknown[];
    relaxed: number;
  };
}
