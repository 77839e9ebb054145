import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import type { SandboxState } from '../../src/sandbox';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process';

/**
 * Issue: the sandbox acknowledged writes before they were durable, so a sandbox killed and restarted
 * from --state lost acknowledged parts, titles and assignments. Here `st2ic sandbox --state` runs as
 * a child process; workers send writes concurrently; after a seeded number of acknowledged writes
 * the process is SIGKILLed (with the other writes in flight), restarted from the same state file,
 * and must hold every write it acknowledged, from this trial and the ones before. Half the starts
 * use a tiny compaction threshold, so kills also land while the log is compacted into the state file.
 *
 * Nothing here waits on time: the kill point is a count of acknowledged writes.
 * Replay a failure with ST2IC_SANDBOX_KILL_SEED=<seed> node scripts/run-tests.mjs test/integration/sandbox-kill.test.ts
 */

const SEED = process.env.ST2IC_SANDBOX_KILL_SEED ? Number(process.env.ST2IC_SANDBOX_KILL_SEED) : randomInt(2 ** 31);
console.log(`# sandbox kill seed ${SEED}`);

const TRIALS = 5;
const WORKERS = 16;
const ADMINS = ['991267001', '991267002', '991267003', '991267004'];
const TEAMS = ['5001', '5002', '5003'];

/** mulberry32, so a failing sequence can be replayed from its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A field updated by one worker at a time: the last acknowledged value, or the one in flight at the kill. */
interface Field<T> {
  acked: T;
  pending?: T;
}

interface ExpectedConversation {
  body: string;
  parts: Set<string>;
  title: Field<string | null>;
  admin: Field<number>;
  team: Field<number>;
}

interface Expected {
  contacts: Map<string, { email: string; name: Field<string | null> }>;
  conversations: Map<string, ExpectedConversation>;
}

type Reply = { status: number; body: Record<string, unknown> } | undefined;

async function send(url: string, method: string, route: string, body: unknown): Promise<Reply> {
  try {
    const response = await fetch(url + route, {
      method,
      headers: { Authorization: 'Bearer sandbox-token', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch {
    return undefined; // killed with this request in flight: applied or not, never acknowledged
  }
}

interface Run {
  url: string;
  trial: number;
  id: number;
  stop: () => boolean;
  acked: () => void;
  unexpected: string[];
}

/** One worker: its own contacts and conversations, one request at a time, so at most one in flight per record. */
async function worker(run: Run, expected: Expected, random: () => number): Promise<void> {
  const contacts: string[] = [];
  const conversations: { id: string; contact: string }[] = [];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let n = 0; !run.stop(); n++) {
    const tag = `t${run.trial}-w${run.id}-${n}`;
    const roll = random();
    let reply: Reply;
    if (contacts.length === 0 || roll < 0.08) {
      const email = `${tag}@kill.example`;
      reply = await send(run.url, 'POST', '/contacts', { role: 'user', email });
      if (reply?.status === 200) {
        contacts.push(String(reply.body.id));
        expected.contacts.set(String(reply.body.id), { email, name: { acked: null } });
      }
    } else if (conversations.length === 0 || roll < 0.2) {
      const body = `opening ${tag}`;
      const contact = pick(contacts);
      reply = await send(run.url, 'POST', '/conversations', { from: { type: 'user', id: contact }, body });
      if (reply?.status === 200) {
        const id = String(reply.body.conversation_id);
        conversations.push({ id, contact });
        expected.conversations.set(id, {
          body,
          parts: new Set(),
          title: { acked: null },
          admin: { acked: 0 },
          team: { acked: 0 },
        });
      }
    } else if (roll < 0.3) {
      const id = pick(contacts);
      const name = expected.contacts.get(id)!.name;
      name.pending = `Name ${tag}`;
      reply = await send(run.url, 'PUT', `/contacts/${id}`, { name: name.pending });
      if (reply?.status === 200) expected.contacts.get(id)!.name = { acked: name.pending };
    } else if (roll < 0.7) {
      const { id, contact } = pick(conversations);
      const body = `part ${tag}`;
      const kind = random();
      const payload =
        kind < 0.4
          ? { message_type: 'comment', type: 'admin', admin_id: pick(ADMINS), body }
          : kind < 0.7
            ? { message_type: 'note', type: 'admin', admin_id: pick(ADMINS), body }
            : { message_type: 'comment', type: 'user', intercom_user_id: contact, body };
      reply = await send(run.url, 'POST', `/conversations/${id}/reply`, payload);
      if (reply?.status === 200) expected.conversations.get(id)!.parts.add(body);
    } else if (roll < 0.82) {
      const { id } = pick(conversations);
      const conversation = expected.conversations.get(id)!;
      conversation.title.pending = `Title ${tag}`;
      reply = await send(run.url, 'PUT', `/conversations/${id}`, { title: conversation.title.pending });
      if (reply?.status === 200) conversation.title = { acked: conversation.title.pending };
    } else {
      const { id } = pick(conversations);
      const conversation = expected.conversations.get(id)!;
      const toTeam = random() < 0.4;
      const key = toTeam ? 'team' : 'admin';
      const assignee = toTeam ? pick(TEAMS) : pick(ADMINS);
      conversation[key].pending = Number(assignee);
      reply = await send(run.url, 'POST', `/conversations/${id}/parts`, {
        message_type: 'assignment',
        type: key,
        admin_id: pick(ADMINS),
        assignee_id: assignee,
      });
      if (reply?.status === 200) conversation[key] = { acked: Number(assignee) };
    }
    if (reply === undefined) return;
    if (reply.status !== 200) run.unexpected.push(`${reply.status} ${JSON.stringify(reply.body)}`);
    else run.acked();
  }
}

function check(state: SandboxState, expected: Expected, where: string): void {
  const either = <T>(actual: T, field: Field<T>, what: string): void => {
    const allowed = field.pending === undefined ? [field.acked] : [field.acked, field.pending];
    assert.ok(
      allowed.includes(actual),
      `${where}: ${what} is ${JSON.stringify(actual)}, acknowledged ${JSON.stringify(field.acked)}${field.pending === undefined ? '' : ` (in flight: ${JSON.stringify(field.pending)})`}`,
    );
  };
  for (const [id, contact] of expected.contacts) {
    const stored = state.contacts[id];
    assert.ok(stored, `${where}: acknowledged contact ${id} (${contact.email}) is missing`);
    assert.equal(
      stored.email,
      contact.email,
      `${where}: contact ${id} holds another contact's email (an id handed out twice?)`,
    );
    either(stored.name, contact.name, `contact ${id} name`);
  }
  for (const [id, conversation] of expected.conversations) {
    const stored = state.conversations[id];
    assert.ok(stored, `${where}: acknowledged conversation ${id} is missing`);
    assert.equal(
      stored.source_body,
      `<p>${conversation.body}</p>`,
      `${where}: conversation ${id} is another conversation (an id handed out twice?)`,
    );
    const bodies = new Set(stored.parts.map((p) => p.body?.replace(/^<p>|<\/p>$/g, '')));
    const lost = [...conversation.parts].filter((body) => !bodies.has(body));
    assert.deepEqual(lost, [], `${where}: conversation ${id} lost acknowledged parts`);
    either(stored.title, conversation.title, `conversation ${id} title`);
    either(stored.admin_assignee_id, conversation.admin, `conversation ${id} admin assignee`);
    either(stored.team_assignee_id, conversation.team, `conversation ${id} team assignee`);
  }
}

async function stateOf(sandbox: SandboxProcess): Promise<SandboxState> {
  return (await (
    await fetch(`${sandbox.url}/__sandbox/state`, { headers: { Authorization: 'Bearer sandbox-token' } })
  ).json()) as SandboxState;
}

test(
  'sandbox durability: SIGKILLed at a random moment under concurrent writes and restarted from --state, it holds every acknowledged write',
  { timeout: 300_000 },
  async () => {
    const random = seeded(SEED);
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-kill-')), 'state.json');
    const argsFor = (): string[] => [
      '--state',
      stateFile,
      '--rate-limit',
      '1000000000',
      ...(random() < 0.5 ? ['--compact-after', String(4096 + Math.floor(random() * 32768))] : []),
    ];
    const expected: Expected = { contacts: new Map(), conversations: new Map() };
    let sandbox = await startSandboxProcess(argsFor());
    try {
      for (let trial = 1; trial <= TRIALS; trial++) {
        const target = 100 + Math.floor(random() * 400);
        let acked = 0;
        let killed = false;
        const unexpected: string[] = [];
        const current = sandbox;
        const run: Omit<Run, 'id'> = {
          url: current.url,
          trial,
          unexpected,
          stop: () => killed,
          acked: () => {
            if (++acked < target || killed) return;
            killed = true;
            current.child.kill('SIGKILL'); // the other workers' writes are in flight
          },
        };
        await Promise.all(
          Array.from({ length: WORKERS }, (_, id) =>
            worker({ ...run, id }, expected, seeded(SEED + trial * 1000 + id)),
          ),
        );
        assert.deepEqual(unexpected, [], `trial ${trial}: every write is accepted`);
        assert.equal(await current.exited, 'SIGKILL', `trial ${trial}: the sandbox was killed, not stopped`);
        sandbox = await startSandboxProcess(argsFor());
        check(
          await stateOf(sandbox),
          expected,
          `seed ${SEED}, trial ${trial} (killed after ${acked} acknowledged writes)`,
        );
      }
      assert.ok(
        expected.conversations.size > 0 &&
          [...expected.conversations.values()].some((c) => c.parts.size > 0 && c.title.acked !== null),
      );
    } finally {
      sandbox.child.kill('SIGTERM');
    }
    // A clean stop compacts everything into the state file and leaves the log empty.
    assert.equal(await sandbox.exited, 0);
    assert.equal(statSync(`${stateFile}.wal`).size, 0);
    check(
      JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxState,
      expected,
      `seed ${SEED}, state file after SIGTERM`,
    );
  },
);

test(
  'sandbox durability: a write applied and then dropped (fault injection) is durable too',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'st2ic-sandbox-drop-'));
    const stateFile = path.join(dir, 'state.json');
    const script = path.join(dir, 'faults.json');
    writeFileSync(
      script,
      JSON.stringify([
        { match: { method: 'POST', pathRegex: '^/conversations/[0-9]+/reply$', nth: 1 }, fault: 'drop' },
      ]),
    );
    const first = await startSandboxProcess(['--state', stateFile, '--faults', `script:${script}`]);
    let second: SandboxProcess | undefined;
    try {
      const contact = await send(first.url, 'POST', '/contacts', { role: 'user', email: 'dropped@example.com' });
      const opened = await send(first.url, 'POST', '/conversations', {
        from: { type: 'user', id: contact?.body.id },
        body: 'hello',
      });
      const conversationId = String(opened?.body.conversation_id);
      const dropped = await send(first.url, 'POST', `/conversations/${conversationId}/reply`, {
        message_type: 'comment',
        type: 'admin',
        admin_id: ADMINS[0],
        body: 'applied, then dropped',
      });
      assert.equal(dropped, undefined, 'the connection is dropped without an answer');
      // Killed the moment the client sees the drop: the write must already be on disk.
      first.child.kill('SIGKILL');
      assert.equal(await first.exited, 'SIGKILL');
      second = await startSandboxProcess(['--state', stateFile]);
      const state = await stateOf(second);
      assert.deepEqual(
        state.conversations[conversationId]?.parts.map((p) => p.body),
        ['<p>applied, then dropped</p>'],
      );
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
    }
  },
);
