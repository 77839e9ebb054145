/**
 * Secrets never land in the ledger (DESIGN.md invariants). Two nets: values the adapters register
 * when they read a secret (SecretStorage, environment), and shapes that look like credentials even
 * when nobody registered them.
 */

const registered = new Set<string>();

/** Shorter values would match ordinary text; no real token or password we guard is this short. */
const MIN_SECRET_LENGTH = 6;

/** Register a secret value (Intercom token, SmarterTrack password, AI key) so no entry may contain it. */
export function registerSecret(value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) registered.add(value);
}

/** For tests and for adapters that rotate a credential. */
export function unregisterSecret(value: string): void {
  registered.delete(value);
}

const CREDENTIAL_SHAPES: { name: string; pattern: RegExp }[] = [
  { name: 'bearer token', pattern: /\bbearer\s+[A-Za-z0-9\-._~+/]{8,}=*/i },
  { name: 'basic credentials', pattern: /\bbasic\s+[A-Za-z0-9+/]{12,}={0,2}/i },
  // Intercom access tokens are base64 of "tok:…".
  { name: 'Intercom access token', pattern: /\bdG9rO[A-Za-z0-9+/_-]{20,}={0,2}/ },
  { name: 'API key', pattern: /\bsk-[A-Za-z0-9_-]{20,}/ },
  { name: 'credentials in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
];

/** Where in an entry a secret was found, and what it looked like (never the value itself). */
export interface SecretFinding {
  path: string;
  kind: string;
}

/** Walks every string (keys included) of a JSON-like value; returns the first finding or undefined. */
export function findSecret(value: unknown, path = '$'): SecretFinding | undefined {
  if (typeof value === 'string') return inspectString(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findSecret(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}.${key}`;
      const found = inspectString(key, `${childPath} (key)`) ?? findSecret(child, childPath);
      if (found) return found;
    }
  }
  return undefined;
}

function inspectString(text: string, path: string): SecretFinding | undefined {
  for (const secret of registered) {
    if (text.includes(secret)) return { path, kind: 'registered secret' };
  }
  for (const shape of CREDENTIAL_SHAPES) {
    if (shape.pattern.test(text)) return { path, kind: shape.name };
  }
  return undefined;
}
