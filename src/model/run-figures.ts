import type { ObjectType } from './object-types';

// The figures of a run in words, the same everywhere they are shown (notification, Runs and Migration
// views, the mapping editor's sample results). A run journals every record it touches (messages,
// attachments, agents, departments…), so its total is far above the conversations a person looks
// for: each figure says what it counts, and the headline counts what the editor lists.
// Pure and free of Node, so the webview bundles it too.

export interface StateCounts {
  migrated: number;
  skipped: number;
  failed: number;
}

export type CountsByType = Partial<Record<ObjectType, StateCounts | undefined>>;

/** What a person looks for after a run, named in Intercom's terms; the editor's sample results list these types. */
const HEADLINE: { one: string; many: string; types: ObjectType[] }[] = [
  { one: 'conversation', many: 'conversations', types: ['tickets', 'liveChats', 'callLogs'] },
  { one: 'contact', many: 'contacts', types: ['endUsers'] },
  { one: 'company', many: 'companies', types: ['organizations'] },
  { one: 'article', many: 'articles', types: ['kbArticles'] },
];

const sum = (counts: CountsByType, types: readonly ObjectType[]): StateCounts => {
  const total = { migrated: 0, skipped: 0, failed: 0 };
  for (const type of types) {
    const c = counts[type];
    if (!c) continue;
    total.migrated += c.migrated;
    total.skipped += c.skipped;
    total.failed += c.failed;
  }
  return total;
};

/** Every record of the run, of every type. */
export function allRecords(counts: CountsByType): StateCounts {
  return sum(counts, Object.keys(counts) as ObjectType[]);
}

/**
 * "148 conversations, 60 contacts, 12 companies migrated, 2 skipped": the records a person checks in
 * Intercom. Empty when the run touched none (a configure run). `notMigrated: false` leaves out the
 * skipped and failed, for a place that names them beside it.
 */
export function headlineFigures(counts: CountsByType, options: { notMigrated?: boolean } = {}): string {
  const groups = HEADLINE.map((g) => ({ ...g, ...sum(counts, g.types) })).filter(
    (g) => g.migrated + g.skipped + g.failed > 0,
  );
  if (groups.length === 0) return '';
  const migrated = groups.map((g) => `${g.migrated} ${g.migrated === 1 ? g.one : g.many}`).join(', ');
  const skipped = groups.reduce((n, g) => n + g.skipped, 0);
  const failed = groups.reduce((n, g) => n + g.failed, 0);
  if (options.notMigrated === false) return `${migrated} migrated`;
  return `${migrated} migrated${skipped ? `, ${skipped} skipped` : ''}${failed ? `, ${failed} failed` : ''}`;
}

/** "all records: 598 migrated · 27 skipped · 0 failed", labelled so it is not read as conversations. */
export function allRecordsFigures(counts: CountsByType): string {
  const t = allRecords(counts);
  return `all records: ${t.migrated} migrated · ${t.skipped} skipped · ${t.failed} failed`;
}

/** The headline, then every record: "148 conversations, 60 contacts migrated; all records: 598 migrated · 27 skipped · 0 failed". */
export function runFigures(counts: CountsByType): string {
  const headline = headlineFigures(counts);
  return headline ? `${headline}; ${allRecordsFigures(counts)}` : allRecordsFigures(counts);
}

/** Counts of listed records (the mapping editor's sample results), to be worded like a run's. */
export function countsOfListed(items: readonly { object: ObjectType; state: keyof StateCounts }[]): CountsByType {
  const counts: CountsByType = {};
  for (const item of items) (counts[item.object] ??= { migrated: 0, skipped: 0, failed: 0 })[item.state]++;
  return counts;
}
