import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { ProblemCode, ScopeReport } from '../../src/model/scope';
import type {
  Agent,
  Attachment,
  CustomField,
  EndUser,
  KbCategory,
  Organization,
  OrganizationMembership,
  Ticket,
} from '../../src/model/source';
import { buildScope, SCOPE_LIMITS } from '../../src/reports/scope';
import { openSource } from '../../src/source/open-source';
import type { SourceReader } from '../../src/source/reader';
import { generateDataset } from '../fixtures/dataset/generate';
import type { DatasetManifest } from '../fixtures/dataset/manifest';

/** The reader and the scope against the generator's manifest: exact counts and every hard case. */

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const sorted = (ids: readonly number[]) => [...ids].sort((a, b) => a - b);

let root: string;
before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'st2ic-dataset-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const generated = new Map<number, Promise<DatasetManifest>>();

/** Generates each scale once per run; every caller gets its own reader. */
async function scoped(
  scale: number,
): Promise<{ manifest: DatasetManifest; reader: SourceReader; scope: ScopeReport; attachmentsRoot: string }> {
  const outDir = path.join(root, `scale-${scale}`);
  if (!generated.has(scale)) generated.set(scale, generateDataset({ outDir, seed: 1, scale }));
  const manifest = await generated.get(scale)!;
  const attachmentsRoot = path.join(outDir, manifest.attachmentsRoot);
  const reader = await openSource(
    { kind: 'sqlite', path: path.join(outDir, manifest.database) },
    { attachmentsRoot, pageSize: 200 },
  );
  const scope = await buildScope(reader, { attachmentsRoot });
  return { manifest, reader, scope, attachmentsRoot };
}

for (const scale of [0.3, 1]) {
  test(`scope counts equal the manifest counts at scale ${scale}`, async () => {
    const { manifest, reader, scope } = await scoped(scale);
    try {
      assert.deepEqual(scope.counts, manifest.counts);
    } finally {
      await reader.close();
    }
  });
}

test('a database converted with another table prefix (hd_) is discovered and counted the same', async () => {
  const outDir = path.join(root, 'prefix-hd');
  const manifest = await generateDataset({ outDir, seed: 2, scale: 0.3, tablePrefix: 'hd_' });
  const reader = await openSource(
    { kind: 'sqlite', path: path.join(outDir, manifest.database) },
    { attachmentsRoot: path.join(outDir, manifest.attachmentsRoot) },
  );
  try {
    assert.equal((await reader.describe()).tablePrefix, 'hd_');
    assert.deepEqual(await reader.insights.counts(), manifest.counts);
  } finally {
    await reader.close();
  }
});

describe('hard cases (scale 1)', () => {
  let manifest: DatasetManifest;
  let reader: SourceReader;
  let scope: ScopeReport;
  let attachmentsRoot: string;
  let agents: Agent[];
  let endUsers: EndUser[];
  let tickets: Map<number, Ticket>;
  const items = (code: ProblemCode) => scope.problems.find((p) => p.code === code)?.items ?? [];
  const ids = (code: ProblemCode) => items(code).map((i) => i.id);

  before(async () => {
    ({ manifest, reader, scope, attachmentsRoot } = await scoped(1));
    agents = await collect(reader.agents());
    endUsers = await collect(reader.endUsers());
    tickets = new Map((await collect(reader.tickets())).map((t) => [t.id, t]));
  });
  after(() => reader.close());

  test('the queue user is neither agent nor end user; the primary admin is an agent', async () => {
    const h = manifest.hardCases;
    assert.ok(!agents.some((a) => a.id === h.queueUserId));
    assert.ok(!endUsers.some((u) => u.id === h.queueUserId));
    assert.deepEqual(
      (await collect(reader.queueUsers())).map((u) => u.id),
      [h.queueUserId],
    );
    assert.equal(agents.find((a) => a.id === h.primaryAdminUserId)?.primaryAdmin, true);
    for (const id of [...h.inactiveAgentIds, h.unmatchedAgentId])
      assert.ok(
        agents.some((a) => a.id === id),
        `agent ${id}`,
      );
  });

  test('unicode names survive', () => {
    const everyone = new Map([...agents, ...endUsers].map((u) => [u.id, u]));
    for (const id of manifest.hardCases.unicodeNameUserIds) {
      const name = everyone.get(id)?.displayName ?? '';
      assert.ok(
        [...name].some((ch) => ch.codePointAt(0)! > 0x7f),
        `user ${id}: ${name}`,
      );
    }
  });

  test('people problems: no email, duplicate emails with their ids, agents without email', () => {
    const h = manifest.hardCases;
    assert.deepEqual(sorted(ids('endUserWithoutEmail')), sorted(h.endUsersWithoutEmail));
    assert.deepEqual(
      items('duplicateEmail').map((i) => ({ email: i.email, userIds: i.userIds })),
      [...h.duplicateEmails]
        .sort((a, b) => a.email.localeCompare(b.email))
        .map((d) => ({ email: d.email.toLowerCase(), userIds: sorted(d.userIds) })),
    );
    assert.deepEqual(sorted(ids('agentWithoutEmail')), sorted(h.agentsWithoutEmail));
  });

  test('deleted and spam tickets are present and flagged; merged aliases sit on the surviving ticket', () => {
    const h = manifest.hardCases;
    for (const id of h.deletedTicketIds) assert.equal(tickets.get(id)?.deleted, true, `ticket ${id}`);
    for (const id of h.spamTicketIds) assert.equal(tickets.get(id)?.spam, true, `ticket ${id}`);
    assert.deepEqual(sorted(ids('deletedTicket')), sorted(h.deletedTicketIds));
    assert.deepEqual(sorted(ids('spamTicket')), sorted(h.spamTicketIds));
    for (const m of h.mergedTickets)
      assert.deepEqual(tickets.get(m.ticketId)?.mergedNumbers, [...m.mergedNumbers].sort());
  });

  test('messages: inline cid images, plain-text-only bodies, drafts', async () => {
    const h = manifest.hardCases;
    const wanted = new Set([...h.htmlWithInlineCidMessageIds, ...h.plainTextOnlyMessageIds, ...h.draftMessageIds]);
    const found = new Map<
      number,
      { bodyHtml: string | null; bodyText: string | null; draft: boolean; attachments: Attachment[] }
    >();
    for await (const thread of reader.ticketThreads()) {
      for (const item of thread.items) if (item.kind === 'message' && wanted.has(item.id)) found.set(item.id, item);
    }
    for (const id of h.htmlWithInlineCidMessageIds) {
      const m = found.get(id)!;
      const cids = m.attachments.map((a) => a.cidTag).filter((c): c is string => !!c);
      assert.ok(cids.length > 0, `message ${id} has an inline attachment`);
      for (const cid of cids) assert.ok(m.bodyHtml?.includes(`cid:${cid}`), `message ${id} references cid:${cid}`);
    }
    for (const id of h.plainTextOnlyMessageIds) {
      assert.ok(!found.get(id)!.bodyHtml, `message ${id} has no HTML`);
      assert.ok(found.get(id)!.bodyText, `message ${id} has text`);
    }
    for (const id of h.draftMessageIds) assert.equal(found.get(id)!.draft, true);
    assert.deepEqual(sorted(ids('draftMessage')), sorted(h.draftMessageIds));
  });

  test('tickets over 500 parts, long custom-field values, orphans', () => {
    const h = manifest.hardCases;
    assert.deepEqual(sorted(ids('ticketOverPartLimit')), sorted(h.ticketsOver500Parts));
    const long = [...items('customFieldValueNearLimit'), ...items('customFieldValueOverLimit')];
    for (const v of h.longCustomFieldValues) {
      const hit = long.find((i) => i.parentKind === 'ticket' && i.id === v.ticketId && i.fieldId === v.customFieldId);
      if (v.length < SCOPE_LIMITS.customFieldNearLength) {
        assert.equal(hit, undefined);
        continue;
      }
      assert.equal(hit?.length, v.length, `ticket ${v.ticketId} field ${v.customFieldId}`);
      const over = items('customFieldValueOverLimit').includes(hit!);
      assert.equal(
        over,
        v.length > SCOPE_LIMITS.customFieldMaxLength,
        `ticket ${v.ticketId} field ${v.customFieldId} (${v.length})`,
      );
    }
    for (const id of h.orphanTicketIds) assert.ok(ids('orphanReference').includes(id), `ticket ${id}`);
  });

  test('custom fields: dropdown options and conditional fields', async () => {
    const fields = new Map((await collect(reader.customFields())).map((f) => [f.id, f] as [number, CustomField]));
    for (const id of manifest.hardCases.dropdownFieldIds) {
      assert.equal(fields.get(id)?.kind, 'dropdown');
      assert.ok((fields.get(id)?.options.length ?? 0) > 1, `field ${id} has options`);
    }
    for (const id of manifest.hardCases.conditionalFieldIds) {
      const use = fields.get(id)?.templates.find((t) => t.conditionalFieldId !== null);
      assert.ok(use, `field ${id} is conditional`);
      assert.ok(use.conditionalValues.length > 0);
    }
  });

  test('organizations: domain filters become memberships of exactly the listed users', async () => {
    const orgs = new Map((await collect(reader.organizations())).map((o) => [o.id, o] as [number, Organization]));
    const memberships: OrganizationMembership[] = await collect(reader.organizationMemberships());
    for (const d of manifest.hardCases.domainFilterOrganizations) {
      assert.ok(
        orgs
          .get(d.organizationId)
          ?.filters.some((f) => f.kind === 'domain' && f.value?.toLowerCase().endsWith(d.domain)),
      );
      const members = memberships
        .filter((m) => m.organizationId === d.organizationId && m.matchedBy.includes('domain'))
        .map((m) => m.userId);
      assert.deepEqual(sorted(members), sorted(d.memberUserIds), `organization ${d.organizationId}`);
    }
  });

  test('knowledge base: three-deep categories, private and draft articles', async () => {
    const categories = new Map((await collect(reader.kbCategories())).map((c) => [c.id, c] as [number, KbCategory]));
    const depth = (id: number): number => {
      const parent = categories.get(id)?.parentId ?? null;
      return parent === null ? 1 : 1 + depth(parent);
    };
    for (const id of manifest.hardCases.kbCategoriesThreeDeep)
      assert.ok(depth(id) >= 3, `category ${id} depth ${depth(id)}`);
    const articles = new Map((await collect(reader.kbArticles())).map((a) => [a.id, a]));
    for (const id of manifest.hardCases.privateArticleIds) assert.equal(articles.get(id)?.private, true);
    for (const id of manifest.hardCases.draftArticleIds) assert.equal(articles.get(id)?.draft, true);
    assert.deepEqual(sorted(ids('privateArticle')), sorted(manifest.hardCases.privateArticleIds));
    assert.deepEqual(sorted(ids('draftArticle')), sorted(manifest.hardCases.draftArticleIds));
  });

  test('chats: agent-only lines are flagged on their chat', async () => {
    const expected = manifest.hardCases.chatsWithAgentOnlyLines.flatMap((c) =>
      c.messageIds.map((id) => [id, c.chatId]),
    );
    assert.deepEqual(
      items('agentOnlyChatLine').map((i) => [i.id, i.parentId]),
      expected.sort((a, b) => a[0]! - b[0]!),
    );
    const lines = (await collect(reader.chatMessages())).filter((l) => l.agentOnly);
    assert.deepEqual(sorted(lines.map((l) => l.id)), sorted(expected.map(([id]) => id!)));
  });

  test('brands', async () => {
    assert.deepEqual(
      (await collect(reader.brands())).map((b) => b.id),
      manifest.hardCases.brandIds,
    );
  });

  test('attachments: shared files resolve to one path; the missing one is flagged with its ticket', async () => {
    const all = await collect(reader.attachments());
    const tickets = new Map(all.filter((a) => a.owner.kind === 'ticket').map((a) => [a.id, a]));
    for (const shared of manifest.hardCases.sharedAttachmentFiles) {
      const expected = path.join(path.resolve(attachmentsRoot), shared.path);
      for (const id of shared.attachmentIds) assert.equal(tickets.get(id)?.path, expected, `attachment ${id}`);
    }
    for (const id of manifest.hardCases.missingAttachmentIds) {
      const flagged = items('attachmentMissing').find((i) => i.id === id && i.parentKind === 'ticket');
      assert.ok(flagged, `attachment ${id} flagged`);
      assert.equal(flagged.parentId, tickets.get(id)?.owner.id);
    }
    assert.deepEqual(
      sorted(items('attachmentMissing').map((i) => i.id)),
      sorted(manifest.hardCases.missingAttachmentIds),
    );
  });
});
