import { z } from 'zod';

import type { StatePath } from './store';
import type { Conversation, SandboxState } from './types';

/**
 * What one line of the write-ahead log holds: the changes of the requests answered since the line
 * before, as the *resulting values* at the paths the handlers reported (never the requests: replaying
 * a request would need the same clock, code and options, and ids and timestamps must come back exact).
 *
 * Every op is idempotent: it sets a path to a value, removes it, or (for a conversation) keeps its
 * first `partsFrom` parts and appends the new ones. So replaying the log over a state file that
 * already holds some of it (a crash between writing the state file and emptying the log) gives the
 * same state again.
 */
const pathSchema = z.array(z.string());
const logOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set'), path: pathSchema, value: z.unknown() }),
  z.object({ op: z.literal('delete'), path: pathSchema }),
  // A conversation (or ticket) whose earlier parts are already logged: its fields, and only its new parts.
  z.object({
    op: z.literal('conversation'),
    collection: z.enum(['conversations', 'tickets']).optional(),
    id: z.string(),
    value: z.record(z.string(), z.unknown()),
    partsFrom: z.number().int().nonnegative(),
  }),
]);
export const logRecordSchema = z.object({ ops: z.array(logOpSchema) });
export type LogOp = z.infer<typeof logOpSchema>;
export type LogRecord = z.infer<typeof logRecordSchema>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const key of path) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** An own, enumerable property even for a key such as `__proto__` (ids are data, not syntax). */
function setOwn(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The object holding the last key of `path`; missing parents are created for a set, not for a delete. */
function parentOf(root: Json, path: readonly string[], create: boolean): Json | undefined {
  let current = root;
  for (const [i, step] of path.slice(0, -1).entries()) {
    const next = Object.hasOwn(current, step) ? current[step] : undefined;
    if (isObject(next)) {
      current = next;
    } else if (next === undefined) {
      if (!create) return undefined;
      const created: Json = {};
      setOwn(current, step, created);
      current = created;
    } else {
      throw new Error(`${path.slice(0, i + 1).join('.')} is not an object`);
    }
  }
  return current;
}

/**
 * The paths changed since the last log record, turned into ops when a record is sealed. Parts are
 * only ever appended to a conversation's `parts` array (a handler that rewrote one would have to
 * assign a new array), so the number of parts already logged is remembered per array: a reply logs
 * one part, not the whole thread again, and a replaced conversation (a new array) is logged whole.
 */
export class ChangeSet {
  private readonly paths = new Map<string, readonly string[]>();
  private readonly loggedParts = new WeakMap<readonly unknown[], number>();

  add(path: StatePath): void {
    this.paths.set(path.join('\u0000'), path);
  }

  get size(): number {
    return this.paths.size;
  }

  /** The conversations of a state already on disk: their parts need not be logged again. */
  baseline(state: SandboxState): void {
    for (const thread of [...Object.values(state.conversations), ...Object.values(state.tickets ?? {})])
      this.loggedParts.set(thread.parts, thread.parts.length);
  }

  /** Ops bringing a copy of the state up to date for every path added; the set is then empty. */
  take(state: SandboxState): LogOp[] {
    // Parents first: a reset (the empty path) must not undo a record changed after it.
    const paths = [...this.paths.values()].sort((a, b) => a.length - b.length);
    this.paths.clear();
    return paths.map((path) => this.opFor(state, path));
  }

  private opFor(state: SandboxState, path: readonly string[]): LogOp {
    const value = valueAt(state, path);
    if (value === undefined) return { op: 'delete', path: [...path] };
    if (path.length === 0) this.baseline(value as SandboxState);
    if (path.length === 2 && (path[0] === 'conversations' || path[0] === 'tickets')) {
      const thread = value as Pick<Conversation, 'parts'>;
      const from = this.loggedParts.get(thread.parts) ?? 0;
      this.loggedParts.set(thread.parts, thread.parts.length);
      const collection = path[0] === 'tickets' ? { collection: 'tickets' as const } : {};
      if (from > 0)
        return {
          op: 'conversation',
          ...collection,
          id: path[1]!,
          value: { ...thread, parts: thread.parts.slice(from) },
          partsFrom: from,
        };
    }
    return { op: 'set', path: [...path], value };
  }
}

/**
 * Applies logged ops to a state read from JSON (not yet validated: the result is, once, after the
 * whole log). Returns the root, which a logged reset replaces. Throws on an op that cannot apply.
 */
export function applyOps(root: Json, ops: readonly LogOp[]): Json {
  for (const op of ops) {
    if (op.op === 'conversation') {
      const conversations = root[op.collection ?? 'conversations'];
      const existing =
        isObject(conversations) && Object.hasOwn(conversations, op.id) ? conversations[op.id] : undefined;
      const parts = isObject(existing) && Array.isArray(existing.parts) ? (existing.parts as unknown[]) : undefined;
      if (!parts || parts.length < op.partsFrom) {
        throw new Error(
          `${op.collection === 'tickets' ? 'ticket' : 'conversation'} ${op.id} should have at least ${op.partsFrom} parts before this record, but has ${parts ? parts.length : 'none'}`,
        );
      }
      const added = op.value.parts;
      if (!Array.isArray(added)) throw new Error(`conversation ${op.id}: the record's parts are not a list`);
      setOwn(conversations as Json, op.id, {
        ...op.value,
        parts: [...parts.slice(0, op.partsFrom), ...(added as unknown[])],
      });
      continue;
    }
    if (op.path.length === 0) {
      if (op.op === 'delete' || !isObject(op.value))
        throw new Error('a record replaces the whole state with something that is not a state');
      root = op.value;
      continue;
    }
    const parent = parentOf(root, op.path, op.op === 'set');
    const key = op.path[op.path.length - 1]!;
    if (op.op === 'set') setOwn(parent!, key, op.value);
    else if (parent) delete parent[key]; // removing something whose parent is already gone is a no-op
  }
  return root;
}
