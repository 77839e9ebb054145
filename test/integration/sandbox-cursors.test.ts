import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type Client, createUser, sandboxWithClient } from './sandbox-helpers';

// Intercom's cursors point at records: while a client pages through a list, records created,
// updated and deleted around it must not make it skip or repeat any other record.

interface Listing {
  seen: string[];
  /** Runs between pages with the ids seen so far. */
  between: (seen: ReadonlySet<string>, page: number) => Promise<void>;
}

async function pageThrough(
  call: Client,
  first: () => Promise<{ ids: string[]; next?: string }>,
  next: (cursor: string) => Promise<{ ids: string[]; next?: string }>,
  listing: Listing,
): Promise<void> {
  let page = await first();
  for (let n = 1; ; n++) {
    listing.seen.push(...page.ids);
    if (!page.next) return;
    await listing.between(new Set(listing.seen), n);
    page = await next(page.next);
  }
}

function checkOnceEach(seen: string[], untouched: Set<string>, gone: Set<string>): void {
  const counts = new Map<string, number>();
  for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
  assert.deepEqual(
    [...counts].filter(([, n]) => n > 1),
    [],
    'no record is served twice',
  );
  assert.deepEqual(
    [...untouched].filter((id) => !counts.has(id)),
    [],
    'no untouched record is skipped',
  );
  assert.deepEqual(
    [...gone].filter((id) => counts.has(id)),
    [],
    'a record deleted before its page is not served',
  );
}

test('cursors: contacts listed while others are created, updated and deleted: no skip, no repeat', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push(await createUser(call, { external_id: `c-${i}` }));
  const untouched = new Set(ids);
  const gone = new Set<string>();
  const seen: string[] = [];
  const list = async (cursor?: string) => {
    const r = await call('GET', `/contacts?per_page=5${cursor ? `&starting_after=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200);
    return {
      ids: (r.body.data as { id: string }[]).map((c) => c.id),
      next: r.body.pages.next?.starting_after as string | undefined,
    };
  };
  await pageThrough(call, () => list(), list, {
    seen,
    between: async (already, page) => {
      const unseen = ids.filter((id) => !already.has(id) && untouched.has(id));
      const seenOne = ids.find((id) => already.has(id) && untouched.has(id));
      // Delete one served and one not yet served, update one not yet served, create one.
      for (const id of [seenOne, unseen[0]]) {
        if (!id) continue;
        assert.equal((await call('DELETE', `/contacts/${id}`)).status, 200);
        untouched.delete(id);
        if (!already.has(id)) gone.add(id);
      }
      if (unseen[1]) {
        await call('PUT', `/contacts/${unseen[1]}`, { name: `renamed on page ${page}` });
        untouched.delete(unseen[1]);
      }
      await createUser(call, { external_id: `new-${page}` });
    },
  });
  checkOnceEach(seen, untouched, gone);
  assert.ok(untouched.size >= 10, 'the test left enough records untouched to mean something');
});

test('cursors: conversations listed by updated_at while others get replies or are deleted: no skip, no repeat', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const contact = await createUser(call, { email: 'lister@example.com' });
  const ids: string[] = [];
  for (let i = 0; i < 25; i++) {
    const r = await call('POST', '/conversations', {
      from: { type: 'user', id: contact },
      body: `thread ${i}`,
      created_at: 1_600_000_000 + i,
    });
    ids.push(String(r.body.conversation_id));
  }
  const untouched = new Set(ids);
  const gone = new Set<string>();
  const seen: string[] = [];
  const list = async (cursor?: string) => {
    const r = await call(
      'GET',
      `/conversations?per_page=4${cursor ? `&starting_after=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(r.status, 200);
    return {
      ids: (r.body.conversations as { id: string }[]).map((c) => c.id),
      next: r.body.pages.next?.starting_after as string | undefined,
    };
  };
  await pageThrough(call, () => list(), list, {
    seen,
    between: async (already) => {
      const unseen = ids.filter((id) => !already.has(id) && untouched.has(id));
      const seenOnes = ids.filter((id) => already.has(id) && untouched.has(id));
      // A reply moves a conversation to the top of the list: served ones must not come back.
      for (const id of [seenOnes[0], unseen[0]]) {
        if (!id) continue;
        await call('POST', `/conversations/${id}/reply`, {
          message_type: 'comment',
          type: 'admin',
          admin_id: '991267001',
          body: 'bump',
        });
        untouched.delete(id);
      }
      if (unseen[1]) {
        assert.equal((await call('DELETE', `/conversations/${unseen[1]}`)).status, 200);
        untouched.delete(unseen[1]);
        gone.add(unseen[1]);
      }
    },
  });
  checkOnceEach(seen, untouched, gone);
  assert.ok(untouched.size >= 8);
});

test('cursors: a search paged while matching contacts are created keeps its place', async (t) => {
  const { sandbox, call } = await sandboxWithClient();
  t.after(() => sandbox.close());
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push(await createUser(call, { email: `s${i}@match.example` }));
  const seen: string[] = [];
  const search = async (cursor?: string) => {
    const r = await call('POST', '/contacts/search', {
      query: { field: 'email_domain', operator: '=', value: 'match.example' },
      pagination: { per_page: 5, ...(cursor ? { starting_after: cursor } : {}) },
    });
    assert.equal(r.status, 200);
    return {
      ids: (r.body.data as { id: string }[]).map((c) => c.id),
      next: r.body.pages.next?.starting_after as string | undefined,
    };
  };
  const deleted = new Set<string>();
  await pageThrough(call, () => search(), search, {
    seen,
    between: async (already, page) => {
      const first = ids.find((id) => already.has(id) && !deleted.has(id))!;
      await call('DELETE', `/contacts/${first}`);
      deleted.add(first);
      await createUser(call, { email: `late${page}@match.example` });
    },
  });
  checkOnceEach(seen, new Set(ids.filter((id) => !deleted.has(id))), new Set());
});
