/**
 * The client logs through this interface so the host decides where lines go (VS Code output channel,
 * CLI stderr, a test buffer). The library itself never writes to the console.
 */
export interface IntercomLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: IntercomLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Replaces every occurrence of each secret (and of `Bearer <secret>`) with a marker. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings would redact innocent text; real tokens are long.
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
  }
  return out;
}

function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  // Round-trip through JSON so nested strings are redacted too; fields are small diagnostics.
  try {
    return JSON.parse(redact(JSON.stringify(value), secrets)) as unknown;
  } catch {
    return '[unserialisable]';
  }
}

/** Wraps a logger so no line or field can carry a secret, whatever the caller passes. */
export function redactingLogger(inner: IntercomLogger, secrets: () => readonly string[]): IntercomLogger {
  const wrap =
    (level: keyof IntercomLogger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const s = secrets();
      const safeFields = fields === undefined ? undefined : (redactValue(fields, s) as Record<string, unknown>);
      inner[level](redact(message, s), safeFields);
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
