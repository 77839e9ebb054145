import assert from 'node:assert/strict';
import path from 'node:path';

import type { RunningSandbox, SandboxState } from '../../src/sandbox';
import { type Dataset, writeMap } from './engine-fixtures';

/** Sandbox state without its own ids and clocks: contacts by external_id, conversations by their opening. */
export function snapshotOf(state: SandboxState) {
  const externalOf = new Map(Object.values(state.contacts).map((c) => [c.id, c.external_id]));
  const tagName = new Map(Object.values(state.tags).map((t) => [t.id, t.name]));
  const companyOf = new Map(Object.values(state.companies).map((c) => [c.id, c.company_id]));
  const sortBy = <T>(items: T[], key: (t: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));
  const partsOf = (parts: SandboxState['conversations'][string]['parts']) =>
    parts
      .filter((p) => p.part_type === 'comment' || p.part_type === 'note')
      .map((p) => ({
        type: p.part_type,
        body: p.body,
        created_at: p.created_at,
        author: p.author.type === 'admin' ? p.author.id : externalOf.get(p.author.id),
        files: p.attachments.map((a) => `${a.name}:${a.content_type}:${a.filesize}`),
      }));
  return {
    companies: sortBy(
      Object.values(state.companies).map((c) => ({ company_id: c.company_id, name: c.name, archived: c.archived })),
      (c) => c.company_id,
    ),
    contacts: sortBy(
      Object.values(state.contacts).map((c) => ({
        external_id: c.external_id,
        email: c.email,
        name: c.name,
        signed_up_at: c.signed_up_at,
        custom_attributes: c.custom_attributes,
        companies: c.company_ids.map((id) => companyOf.get(id)).sort(),
        tags: c.tag_ids.map((id) => tagName.get(id)).sort(),
      })),
      (c) => c.external_id ?? '',
    ),
    conversations: sortBy(
      Object.values(state.conversations).map((c) => ({
        contacts: c.contact_ids.map((id) => externalOf.get(id)),
        created_at: c.created_at,
        source_body: c.source_body,
        title: c.title,
        state: c.state,
        admin: c.admin_assignee_id,
        team: c.team_assignee_id,
        custom_attributes: c.custom_attributes,
        tags: c.tags.map((t) => tagName.get(t.id)).sort(),
        parts: partsOf(c.parts),
      })),
      (c) => `${c.created_at}|${c.contacts.join()}|${c.source_body}`,
    ),
    tickets: sortBy(
      Object.values(state.tickets).map((t) => ({
        type: state.ticketTypes[t.ticket_type_id]?.name,
        contacts: t.contact_ids.map((id) => externalOf.get(id)),
        created_at: t.created_at,
        attributes: t.ticket_attributes,
        state: state.ticketStates.find((s) => s.id === t.ticket_state_id)?.internal_label,
        admin: t.admin_assignee_id,
        team: t.team_assignee_id,
        tags: t.tags.map((tag) => tagName.get(tag.id)).sort(),
        parts: partsOf(t.parts),
      })),
      (t) => `${String(t.attributes.st2ic_source_key)}|${t.created_at}`,
    ),
    ticketTypes: sortBy(
      Object.values(state.ticketTypes).map((t) => ({
        name: t.name,
        archived: t.archived,
        attributes: t.attributes.map((a) => `${a.name}:${a.data_type}${a.archived ? ' (archived)' : ''}`).sort(),
      })),
      (t) => t.name,
    ),
    tags: Object.values(state.tags)
      .map((t) => t.name)
      .sort(),
    attributes: [...Object.values(state.dataAttributes), ...Object.values(state.conversationAttributes)]
      .map((a) => a.name)
      .sort(),
    collections: Object.values(state.collections)
      .map((c) => c.name)
      .sort(),
    articles: sortBy(
      Object.values(state.articles).map((a) => ({ title: a.title, state: a.state, body: a.body })),
      (a) => a.title,
    ),
  };
}

type Snapshot = ReturnType<typeof snapshotOf>;

/**
 * deepEqual on two snapshots, but a failure names every entry one side has and the other lacks,
 * in full: node's own diff of a large snapshot is cut short just where the difference is.
 */
export function assertSameSnapshot(actual: Snapshot, expected: Snapshot, message: string): void {
  const lines: string[] = [];
  for (const key of Object.keys(expected) as (keyof Snapshot)[]) {
    const mine = (actual[key] as unknown[]).map((e) => JSON.stringify(e));
    const theirs = (expected[key] as unknown[]).map((e) => JSON.stringify(e));
    const missing = theirs.filter((e) => !mine.includes(e));
    const extra = mine.filter((e) => !theirs.includes(e));
    if (mine.length !== theirs.length) lines.push(`${key}: ${mine.length} instead of ${theirs.length}`);
    for (const e of missing) lines.push(`${key} expected, not found: ${e}`);
    for (const e of extra) lines.push(`${key} found, not expected: ${e}`);
  }
  assert.ok(lines.length === 0, `${message}:\n${lines.join('\n')}`);
  assert.deepEqual(actual, expected, message);
}

/**
 * The state a run without faults leaves in a sandbox of its own (folder `<dir>/clean`): the
 * baseline a faulted run must end in. The sandbox joins `sandboxes`, for the caller to close.
 */
export async function cleanBaseline(
  dir: string,
  ds: Dataset,
  start: () => Promise<RunningSandbox>,
  run: (workspace: string, sandbox: RunningSandbox) => Promise<{ status: string; message?: string }>,
  sandboxes: RunningSandbox[],
): Promise<Snapshot> {
  const clean = await start();
  sandboxes.push(clean);
  const ws = path.join(dir, 'clean');
  await writeMap(ws, ds, 'approved');
  const result = await run(ws, clean);
  assert.equal(result.status, 'completed', result.message);
  return snapshotOf(clean.state());
}
