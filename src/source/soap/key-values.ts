/**
 * SmarterTrack returns properties and custom fields as `key=value` strings (reference notes 2.3).
 * The value is everything after the first '='; keys are matched case-insensitively (ASSUMED).
 */
export class KeyValues {
  private readonly map = new Map<string, string>();
  readonly keys: string[] = [];

  constructor(items: readonly string[]) {
    for (const item of items) {
      const at = item.indexOf('=');
      if (at <= 0) continue;
      const key = item.slice(0, at).trim();
      this.keys.push(key);
      this.map.set(key.toLowerCase(), item.slice(at + 1));
    }
  }

  get(key: string): string | null {
    return this.map.get(key.toLowerCase()) ?? null;
  }

  /** The value, or null when absent or empty. */
  text(key: string): string | null {
    const v = this.get(key);
    return v === null || v === '' ? null : v;
  }

  int(key: string): number | null {
    const v = this.text(key);
    if (v === null) return null;
    const n = Number(v.trim());
    return Number.isInteger(n) ? n : null;
  }

  bool(key: string): boolean | null {
    const v = this.text(key)?.trim().toLowerCase();
    if (v === undefined) return null;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    return null;
  }

  entries(): [string, string][] {
    return this.keys.map((k) => [k, this.map.get(k.toLowerCase()) ?? '']);
  }
}

/** Search criteria and property requests go out as `key=value` strings too. */
export function keyValueList(values: Record<string, string | number | boolean>): string[] {
  return Object.entries(values).map(([k, v]) => `${k}=${String(v)}`);
}
