/** What the sandbox remembers about each API request; never the Authorization header. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  time: string;
  durationMs: number;
  bodyExcerpt: string;
  fault?: string;
  validationErrors?: unknown[];
  /**
   * With response validation on: where the answer departs from the operation's 2.16 response schema
   * (first `{operation, status}`, then the findings), outside the listed relaxations. Absent when it fits.
   */
  responseErrors?: unknown[];
}

const EXCERPT_CHARS = 500;
const MAX_ENTRIES = 20_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  list(): LoggedRequest[] {
    return this.entries.slice();
  }

  clear(): void {
    this.entries = [];
  }
}

export function excerpt(raw: string): string {
  return raw.length > EXCERPT_CHARS ? `${raw.slice(0, EXCERPT_CHARS)}…` : raw;
}
