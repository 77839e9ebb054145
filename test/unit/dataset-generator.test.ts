import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import Database from 'better-sqlite3';

import {
  AttachmentSubfolder,
  ChatSenderType,
  CustomFieldDataType,
  organizationFilterKind,
  RoleCategory,
  ViewRestriction,
} from '../../src/model/smartertrack-codes';
import { generateDataset } from '../fixtures/dataset/generate';
import { DatasetManifest } from '../fixtures/dataset/manifest';

const work = mkdtempSync(path.join(tmpdir(), 'st-dataset-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

async function generate(
  name: string,
  seed: number,
  scale: number,
  tablePrefix?: string,
): Promise<{ dir: string; manifest: DatasetManifest }> {
  const dir = path.join(work, name);
  const manifest = await generateDataset({ outDir: dir, seed, scale, tablePrefix });
  return { dir, manifest };
}

function open(dir: string): Database.Database {
  return new Database(path.join(dir, 'smartertrack.db'), { readonly: true });
}

function tableDigests(dir: string): Record<string, string> {
  const db = open(dir);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>;
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const hash = createHash('sha256');
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).iterate())
        hash.update(JSON.stringify(row));
      out[name] = hash.digest('hex');
    }
    return out;
  } finally {
    db.close();
  }
}

function filesDigest(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(path.relative(root, full)).update(readFileSync(full));
    }
  };
  walk(root);
  return hash.digest('hex');
}

const count = (db: Database.Database, sql: string, ...params: unknown[]): number =>
  db
    .prepare(sql)
    .pluck()
    .get(...params) as number;

test('same seed gives a byte-identical manifest and identical tables and files; another seed differs', async () => {
  const a = await generate('a', 7, 0.2);
  const b = await generate('b', 7, 0.2);
  const c = await generate('c', 8, 0.2);
  assert.equal(
    readFileSync(path.join(a.dir, 'manifest.json'), 'utf8'),
    readFileSync(path.join(b.dir, 'manifest.json'), 'utf8'),
  );
  const da = tableDigests(a.dir);
  assert.ok(Object.keys(da).length >= 45, `expected the full table set, got ${Object.keys(da).length}`);
  assert.deepEqual(tableDigests(b.dir), da);
  assert.equal(filesDigest(path.join(b.dir, 'App_Data')), filesDigest(path.join(a.dir, 'App_Data')));
  const dc = tableDigests(c.dir);
  assert.notEqual(dc.st_Tickets, da.st_Tickets);
  assert.notEqual(dc.st_TicketMessages, da.st_TicketMessages);
  assert.notDeepEqual(c.manifest.hardCases, a.manifest.hardCases);
});

test('manifest validates and its counts equal independent queries on the database', async () => {
  const { dir, manifest } = await generate('counts', 3, 1);
  const onDisk = DatasetManifest.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
  assert.deepEqual(onDisk, manifest);
  const db = open(dir);
  try {
    const employee = `SELECT ur.UserID FROM st_UsersInRoles ur JOIN st_Roles r ON r.RoleID = ur.RoleID WHERE r.RoleCategory = ${RoleCategory.EMPLOYEE}`;
    const users = db.prepare('SELECT UserID, Email, IsQueue FROM st_Users').all() as Array<{
      UserID: number;
      Email: string | null;
      IsQueue: number;
    }>;
    const filters = db
      .prepare('SELECT OrganizationID, FilterType, FilterValue, UserID FROM st_OrganizationFilters')
      .all() as Array<{ OrganizationID: number; FilterType: string; FilterValue: string; UserID: number | null }>;
    const pairs = new Set<string>();
    for (const f of filters) {
      const kind = organizationFilterKind(f.FilterType);
      for (const u of users) {
        if (u.IsQueue) continue;
        const email = u.Email?.toLowerCase();
        const hit =
          kind === 'email'
            ? email === f.FilterValue.toLowerCase()
            : kind === 'domain'
              ? email?.split('@')[1] === f.FilterValue.toLowerCase()
              : kind === 'user'
                ? u.UserID === f.UserID || String(u.UserID) === f.FilterValue
                : false;
        if (hit) pairs.add(`${f.OrganizationID}/${u.UserID}`);
      }
    }
    const expected = {
      brands: count(db, 'SELECT COUNT(*) FROM st_Brands'),
      departments: count(db, 'SELECT COUNT(*) FROM st_Departments'),
      groups: count(db, 'SELECT COUNT(*) FROM st_Groups'),
      agents: count(db, `SELECT COUNT(*) FROM st_Users WHERE IsQueue = 0 AND UserID IN (${employee})`),
      endUsers: count(db, `SELECT COUNT(*) FROM st_Users WHERE IsQueue = 0 AND UserID NOT IN (${employee})`),
      organizations: count(db, 'SELECT COUNT(*) FROM st_Organizations'),
      organizationMemberships: pairs.size,
      customFields: count(db, 'SELECT COUNT(*) FROM st_CustomDataFields'),
      customFieldValues: count(
        db,
        'SELECT (SELECT COUNT(*) FROM st_CustomDataFieldsInTickets) + (SELECT COUNT(*) FROM st_CustomDataFieldsInChats) + (SELECT COUNT(*) FROM st_CustomDataFieldsInCallLogs) + (SELECT COUNT(*) FROM st_CustomDataFieldsForUsers)',
      ),
      tickets: count(db, 'SELECT COUNT(*) FROM st_Tickets'),
      ticketMessages: count(db, 'SELECT COUNT(*) FROM st_TicketMessages'),
      ticketComments: count(db, 'SELECT COUNT(*) FROM st_TicketComments'),
      attachments: count(
        db,
        'SELECT (SELECT COUNT(*) FROM st_TicketAttachments) + (SELECT COUNT(*) FROM st_ChatAttachments) + (SELECT COUNT(*) FROM st_CallLogAttachments)',
      ),
      liveChats: count(db, 'SELECT COUNT(*) FROM st_Chats'),
      chatMessages: count(db, 'SELECT COUNT(*) FROM st_ChatMessages'),
      callLogs: count(db, 'SELECT COUNT(*) FROM st_CallLogs'),
      kbCategories: count(db, 'SELECT COUNT(*) FROM st_KbCategories'),
      kbArticles: count(db, 'SELECT COUNT(*) FROM st_KbArticles'),
      tags: count(db, 'SELECT COUNT(*) FROM st_Tags'),
      automationRules: count(db, 'SELECT COUNT(*) FROM st_Events'),
      slaPolicies: count(
        db,
        'SELECT COUNT(*) FROM st_Departments WHERE AutoCloseEnabled = 1 OR AutoLockEnabled = 1 OR AutoDeleteEnabled = 1',
      ),
    };
    assert.deepEqual(manifest.counts, expected);
    // Scale 1 is "a few hundred tickets".
    assert.ok(manifest.counts.tickets >= 250 && manifest.counts.tickets <= 400);
    assert.equal(manifest.counts.agents, 12);
  } finally {
    db.close();
  }
});

test('every hard case exists in the database with the property the manifest claims', async () => {
  const { dir, manifest } = await generate('hard', 11, 0.2);
  const h = manifest.hardCases;
  const db = open(dir);
  const one = (sql: string, ...params: unknown[]): Record<string, unknown> => {
    const row = db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
    assert.ok(row, `no row for ${sql} ${JSON.stringify(params)}`);
    return row;
  };
  const nonEmpty = (name: string, ids: unknown[]): void => assert.ok(ids.length > 0, `${name} is empty`);
  try {
    assert.equal(one('SELECT IsQueue FROM st_Users WHERE UserID = ?', h.queueUserId).IsQueue, 1);
    assert.equal(one('SELECT IsPrimaryAdmin FROM st_Users WHERE UserID = ?', h.primaryAdminUserId).IsPrimaryAdmin, 1);
    nonEmpty('unicodeNameUserIds', h.unicodeNameUserIds);
    const names = h.unicodeNameUserIds.map(
      (id) => one('SELECT DisplayName FROM st_Users WHERE UserID = ?', id).DisplayName as string,
    );
    for (const n of names) assert.match(n, /[^\x20-\x7e]/);
    assert.ok(
      names.some((n) => /\p{Script=Han}/u.test(n)),
      'a CJK name',
    );
    assert.ok(
      names.some((n) => /[\u0590-\u06ff]/.test(n)),
      'an RTL name',
    );
    assert.ok(
      names.some((n) => /\p{Extended_Pictographic}/u.test(n)),
      'an emoji name',
    );
    nonEmpty('endUsersWithoutEmail', h.endUsersWithoutEmail);
    for (const id of h.endUsersWithoutEmail)
      assert.equal(one('SELECT Email FROM st_Users WHERE UserID = ?', id).Email, null);
    assert.ok(h.duplicateEmails.length >= 2);
    let caseDifferent = false;
    for (const d of h.duplicateEmails) {
      const emails = d.userIds.map((id) => one('SELECT Email FROM st_Users WHERE UserID = ?', id).Email as string);
      for (const e of emails) assert.equal(e.toLowerCase(), d.email);
      if (new Set(emails).size > 1) caseDifferent = true;
    }
    assert.ok(caseDifferent, 'a duplicate differing only in letter case');
    const isAgent = (id: number): boolean =>
      count(
        db,
        `SELECT COUNT(*) FROM st_UsersInRoles ur JOIN st_Roles r ON r.RoleID = ur.RoleID WHERE ur.UserID = ? AND r.RoleCategory = ${RoleCategory.EMPLOYEE}`,
        id,
      ) > 0;
    nonEmpty('inactiveAgentIds', h.inactiveAgentIds);
    for (const id of h.inactiveAgentIds) {
      const u = one('SELECT IsDeleted, IsLockedOut FROM st_Users WHERE UserID = ?', id);
      assert.ok(isAgent(id) && (u.IsDeleted === 1 || u.IsLockedOut === 1));
    }
    for (const id of h.agentsWithoutEmail)
      assert.ok(isAgent(id) && one('SELECT Email FROM st_Users WHERE UserID = ?', id).Email === null);
    nonEmpty('agentsWithoutEmail', h.agentsWithoutEmail);
    const unmatched = one('SELECT Email FROM st_Users WHERE UserID = ?', h.unmatchedAgentId).Email as string;
    assert.ok(isAgent(h.unmatchedAgentId));
    const unmatchedDomain = unmatched.split('@')[1];
    assert.equal(count(db, "SELECT COUNT(*) FROM st_Users WHERE lower(Email) LIKE '%@' || ?", unmatchedDomain), 1);

    nonEmpty('htmlWithInlineCidMessageIds', h.htmlWithInlineCidMessageIds);
    for (const id of h.htmlWithInlineCidMessageIds) {
      const html = one('SELECT BodyHTML FROM st_TicketMessages WHERE TicketMessageID = ?', id).BodyHTML as string;
      const cids = db
        .prepare('SELECT CidTagName FROM st_TicketAttachments WHERE TicketMessageID = ? AND CidTagName IS NOT NULL')
        .pluck()
        .all(id) as string[];
      assert.ok(
        cids.length > 0 && cids.every((cid) => html.includes(`cid:${cid}`)),
        `message ${id} references its inline attachment`,
      );
    }
    nonEmpty('plainTextOnlyMessageIds', h.plainTextOnlyMessageIds);
    for (const id of h.plainTextOnlyMessageIds) {
      const m = one('SELECT BodyHTML, BodyText FROM st_TicketMessages WHERE TicketMessageID = ?', id);
      assert.ok(m.BodyHTML === null && typeof m.BodyText === 'string' && m.BodyText.length > 0);
    }
    assert.equal(
      count(db, 'SELECT COUNT(*) FROM st_TicketMessages WHERE BodyHTML IS NULL'),
      h.plainTextOnlyMessageIds.length,
    );
    nonEmpty('draftMessageIds', h.draftMessageIds);
    assert.deepEqual(
      db.prepare('SELECT TicketMessageID FROM st_TicketMessages WHERE IsDraft = 1 ORDER BY 1').pluck().all(),
      [...h.draftMessageIds].sort((x, y) => x - y),
    );
    assert.ok(
      count(db, 'SELECT COUNT(*) FROM st_TicketMessages WHERE UserID_From IS NULL') > 0,
      'a message from an external sender',
    );

    nonEmpty('deletedTicketIds', h.deletedTicketIds);
    assert.deepEqual(
      db
        .prepare('SELECT TicketID FROM st_Tickets WHERE IsDeleted = 1 AND DateDeletedUTC IS NOT NULL ORDER BY 1')
        .pluck()
        .all(),
      h.deletedTicketIds,
    );
    nonEmpty('spamTicketIds', h.spamTicketIds);
    assert.deepEqual(
      db.prepare('SELECT TicketID FROM st_Tickets WHERE IsSpam = 1 ORDER BY 1').pluck().all(),
      h.spamTicketIds,
    );
    nonEmpty('mergedTickets', h.mergedTickets);
    for (const m of h.mergedTickets) {
      assert.deepEqual(
        db
          .prepare('SELECT TicketNumber FROM st_TicketMerges WHERE TicketID = ? ORDER BY rowid')
          .pluck()
          .all(m.ticketId),
        m.mergedNumbers,
      );
      for (const n of m.mergedNumbers) {
        assert.match(n, /^\d{3}-[0-9A-F]{8}-[0-9A-F]{4}$/);
        assert.equal(count(db, 'SELECT COUNT(*) FROM st_Tickets WHERE TicketNumber = ?', n), 0);
      }
    }
    nonEmpty('ticketsOver500Parts', h.ticketsOver500Parts);
    for (const id of h.ticketsOver500Parts) {
      assert.ok(
        count(
          db,
          'SELECT (SELECT COUNT(*) FROM st_TicketMessages WHERE TicketID = ?) + (SELECT COUNT(*) FROM st_TicketComments WHERE TicketID = ?)',
          id,
          id,
        ) > 500,
      );
    }
    assert.ok(
      h.longCustomFieldValues.some((v) => v.length > 512) &&
        h.longCustomFieldValues.some((v) => v.length >= 500 && v.length <= 512),
    );
    for (const v of h.longCustomFieldValues) {
      assert.equal(
        count(
          db,
          'SELECT length(DataContent) FROM st_CustomDataFieldsInTickets WHERE TicketID = ? AND CustomFieldID = ?',
          v.ticketId,
          v.customFieldId,
        ),
        v.length,
      );
    }
    assert.equal(
      count(db, 'SELECT COUNT(*) FROM st_CustomDataFieldsInTickets WHERE length(DataContent) >= 500'),
      h.longCustomFieldValues.length,
    );
    nonEmpty('dropdownFieldIds', h.dropdownFieldIds);
    for (const id of h.dropdownFieldIds) {
      const f = one('SELECT DataType, Options FROM st_CustomDataFields WHERE CustomFieldID = ?', id);
      assert.equal(f.DataType, CustomFieldDataType.DROP_DOWN);
      assert.ok((f.Options as string).split('\n').length >= 2);
    }
    nonEmpty('conditionalFieldIds', h.conditionalFieldIds);
    for (const id of h.conditionalFieldIds) {
      const c = one(
        'SELECT ConditionalCustomFieldID, ConditionalValues FROM st_CustomDataFieldsInCustomTemplates WHERE CustomFieldID = ? AND ConditionalCustomFieldID IS NOT NULL',
        id,
      );
      assert.ok(typeof c.ConditionalValues === 'string' && c.ConditionalValues.length > 0);
    }

    nonEmpty('domainFilterOrganizations', h.domainFilterOrganizations);
    for (const d of h.domainFilterOrganizations) {
      assert.equal(
        count(
          db,
          "SELECT COUNT(*) FROM st_OrganizationFilters WHERE OrganizationID = ? AND FilterType = 'Domain' AND FilterValue = ?",
          d.organizationId,
          d.domain,
        ),
        1,
      );
      const members = db
        .prepare("SELECT UserID FROM st_Users WHERE IsQueue = 0 AND lower(Email) LIKE '%@' || lower(?) ORDER BY UserID")
        .pluck()
        .all(d.domain);
      assert.deepEqual(
        [...d.memberUserIds].sort((x, y) => x - y),
        members,
      );
    }
    const filterKinds = new Set(
      (db.prepare('SELECT FilterType FROM st_OrganizationFilters').pluck().all() as string[]).map(
        organizationFilterKind,
      ),
    );
    assert.ok(filterKinds.has('email') && filterKinds.has('domain') && filterKinds.has('user'));

    nonEmpty('kbCategoriesThreeDeep', h.kbCategoriesThreeDeep);
    for (const id of h.kbCategoriesThreeDeep) {
      const parent = one('SELECT KBCategoryID_Parent AS p FROM st_KbCategories WHERE KBCategoryID = ?', id).p as number;
      const grand = one('SELECT KBCategoryID_Parent AS p FROM st_KbCategories WHERE KBCategoryID = ?', parent)
        .p as number;
      assert.equal(one('SELECT KBCategoryID_Parent AS p FROM st_KbCategories WHERE KBCategoryID = ?', grand).p, null);
    }
    nonEmpty('privateArticleIds', h.privateArticleIds);
    assert.deepEqual(
      db.prepare('SELECT KBArticleID FROM st_KbArticles WHERE IsPrivate = 1 ORDER BY 1').pluck().all(),
      h.privateArticleIds,
    );
    nonEmpty('draftArticleIds', h.draftArticleIds);
    assert.deepEqual(
      db.prepare('SELECT KBArticleID FROM st_KbArticles WHERE IsDraft = 1 ORDER BY 1').pluck().all(),
      h.draftArticleIds,
    );
    nonEmpty('chatsWithAgentOnlyLines', h.chatsWithAgentOnlyLines);
    const agentOnly = db
      .prepare(
        `SELECT ChatID, ChatMessageID FROM st_ChatMessages WHERE ViewRestriction = ${ViewRestriction.AGENTS_ONLY} ORDER BY ChatMessageID`,
      )
      .all() as Array<{ ChatID: number; ChatMessageID: number }>;
    assert.deepEqual(
      h.chatsWithAgentOnlyLines.flatMap((c) => c.messageIds.map((m) => ({ ChatID: c.chatId, ChatMessageID: m }))),
      agentOnly,
    );
    for (const sender of Object.values(ChatSenderType))
      assert.ok(count(db, 'SELECT COUNT(*) FROM st_ChatMessages WHERE ChatSenderType = ?', sender) > 0);

    assert.deepEqual(h.brandIds, [1, 2]);
    for (const b of h.brandIds) assert.ok(count(db, 'SELECT COUNT(*) FROM st_Departments WHERE BrandID = ?', b) >= 1);
    nonEmpty('orphanTicketIds', h.orphanTicketIds);
    for (const id of h.orphanTicketIds) {
      assert.equal(
        count(
          db,
          'SELECT COUNT(*) FROM st_Tickets t LEFT JOIN st_Users u ON u.UserID = t.UserID_Customer WHERE t.TicketID = ? AND t.UserID_Customer IS NOT NULL AND u.UserID IS NULL',
          id,
        ),
        1,
      );
    }
    assert.ok(count(db, 'SELECT COUNT(DISTINCT CommentTypeID) FROM st_TicketComments') >= 3);
    // Ticket numbers: NNN-XXXXXXXX-XXXX, the middle block being the opening time in seconds since 2000-01-01.
    for (const t of db.prepare('SELECT TicketNumber, DateOpenedUTC FROM st_Tickets').all() as Array<{
      TicketNumber: string;
      DateOpenedUTC: string;
    }>) {
      const m = /^\d{3}-([0-9A-F]{8})-[0-9A-F]{4}$/.exec(t.TicketNumber);
      assert.ok(m, t.TicketNumber);
      assert.match(t.DateOpenedUTC, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      const opened = Date.parse(`${t.DateOpenedUTC.replace(' ', 'T')}Z`);
      assert.equal(parseInt(m[1] as string, 16), Math.floor((opened - Date.UTC(2000, 0, 1)) / 1000));
    }
    assert.equal(count(db, 'SELECT COUNT(DISTINCT TicketNumber) FROM st_Tickets'), manifest.counts.tickets);
    // Nobody writes in before their account exists.
    assert.equal(
      count(
        db,
        'SELECT COUNT(*) FROM st_Tickets t JOIN st_Users u ON u.UserID = t.UserID_Customer WHERE t.DateOpenedUTC < u.DateCreatedUTC',
      ),
      0,
    );
    assert.equal(
      count(
        db,
        'SELECT COUNT(*) FROM st_Chats c JOIN st_Users u ON u.UserID = c.CustomerUserID WHERE c.DateStartedUTC < u.DateCreatedUTC',
      ),
      0,
    );
    assert.equal(
      count(
        db,
        'SELECT COUNT(*) FROM st_UsersInRoles r JOIN st_Users u ON u.UserID = r.UserID WHERE r.DateAddedUTC <> u.DateCreatedUTC',
      ),
      0,
    );
    assert.ok(
      count(db, 'SELECT COUNT(*) FROM st_EventConditions') > 0 && count(db, 'SELECT COUNT(*) FROM st_EventActions') > 0,
    );
  } finally {
    db.close();
  }
});

test('attachment files: present for every row but the missing one, shared files referenced twice, real content types', async () => {
  const { dir, manifest } = await generate('files', 5, 0.2);
  const db = open(dir);
  try {
    const rows = [
      ...(
        db
          .prepare('SELECT TicketAttachmentID AS id, FileNameOnDisk AS f, Length AS len FROM st_TicketAttachments')
          .all() as Array<{ id: number; f: string; len: number }>
      ).map((r) => ({ ...r, kind: 'ticket' as const })),
      ...(
        db
          .prepare('SELECT ChatAttachmentID AS id, FileNameOnDisk AS f, Length AS len FROM st_ChatAttachments')
          .all() as Array<{ id: number; f: string; len: number }>
      ).map((r) => ({ ...r, kind: 'chat' as const })),
      ...(
        db
          .prepare('SELECT CallLogAttachmentID AS id, FileNameOnDisk AS f, Length AS len FROM st_CallLogAttachments')
          .all() as Array<{ id: number; f: string; len: number }>
      ).map((r) => ({ ...r, kind: 'callLog' as const })),
    ];
    assert.ok(rows.some((r) => r.kind === 'chat') && rows.some((r) => r.kind === 'callLog'));
    const missing = new Set(manifest.hardCases.missingAttachmentIds);
    assert.equal(missing.size, 1);
    const byPath = new Map<string, number>();
    const { fileTypeFromBuffer } = await import('file-type');
    for (const r of rows) {
      const rel = `${AttachmentSubfolder[r.kind]}/${r.f}`;
      const full = path.join(dir, manifest.attachmentsRoot, ...rel.split('/'));
      if (r.kind === 'ticket' && missing.has(r.id)) {
        assert.equal(existsSync(full), false);
        continue;
      }
      assert.ok(existsSync(full), `file of ${r.kind} attachment ${r.id}`);
      byPath.set(rel, (byPath.get(rel) ?? 0) + 1);
      if (byPath.get(rel) === 1) {
        const bytes = readFileSync(full);
        assert.equal(bytes.length, r.len);
        const ext = path.extname(r.f).slice(1);
        const detected = await fileTypeFromBuffer(bytes);
        if (['png', 'jpg', 'pdf', 'zip'].includes(ext)) assert.equal(detected?.ext, ext, `${rel} sniffs as ${ext}`);
      }
    }
    assert.ok(manifest.hardCases.sharedAttachmentFiles.length > 0);
    for (const s of manifest.hardCases.sharedAttachmentFiles) {
      assert.ok(s.attachmentIds.length >= 2);
      assert.equal(byPath.get(s.path), s.attachmentIds.length);
    }
  } finally {
    db.close();
  }
});

test('--prefix renames every table', async () => {
  const { dir, manifest } = await generate('prefix', 2, 0.2, 'hd_');
  assert.equal(manifest.tablePrefix, 'hd_');
  const db = open(dir);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    assert.ok(tables.length >= 45);
    assert.ok(
      tables.every((t) => t.startsWith('hd_')),
      tables.join(','),
    );
    assert.equal(count(db, 'SELECT COUNT(*) FROM hd_Tickets'), manifest.counts.tickets);
  } finally {
    db.close();
  }
});

test('the command line writes the same dataset as the function', async () => {
  const viaFunction = await generate('fn', 13, 0.05);
  const cliDir = path.join(work, 'cli');
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/dataset/generate.ts', '--out', cliDir, '--seed', '13', '--scale=0.05'],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /tickets=\d+/);
  assert.equal(
    readFileSync(path.join(cliDir, 'manifest.json'), 'utf8'),
    readFileSync(path.join(viaFunction.dir, 'manifest.json'), 'utf8'),
  );
  const bad = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/dataset/generate.ts', '--out', cliDir, '--scale', 'lots'],
    { encoding: 'utf8' },
  );
  assert.notEqual(bad.status, 0);
});
