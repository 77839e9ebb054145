import Database from 'better-sqlite3';

import type { Dataset } from './engine-fixtures';

/**
 * Rewrites a generated help desk's texts into plain words and short values, which today's transforms
 * carry without loss: a migration of it is faithful, so an independent validation must find nothing.
 * (The hard cases the generator plants, tables, `<`, NUL, over-long values, are the point elsewhere.)
 */
export function makePlain(ds: Dataset): void {
  const db = new Database(ds.dbPath);
  const plain = (text: string | null, max = 2_000): string | null => {
    if (text === null) return null;
    const words = text.replace(/[^A-Za-z0-9]+/g, ' ').trim();
    return words.slice(0, max).trim();
  };
  const rewrite = (table: string, key: string, columns: string[], max?: number) => {
    const rows = db.prepare(`SELECT ${key} AS k, ${columns.join(', ')} FROM st_${table}`).all() as Record<
      string,
      string | number | null
    >[];
    const update = db.prepare(`UPDATE st_${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${key} = ?`);
    for (const row of rows) update.run(...columns.map((c) => plain(row[c] as string | null, max)), row.k);
  };
  try {
    db.transaction(() => {
      rewrite('TicketMessages', 'TicketMessageID', ['BodyText'], 2_000);
      db.prepare(
        "UPDATE st_TicketMessages SET BodyHTML = CASE WHEN BodyText IS NULL OR BodyText = '' THEN NULL ELSE '<p>' || BodyText || '</p>' END",
      ).run();
      rewrite('TicketComments', 'TicketCommentID', ['CommentText']);
      rewrite('ChatMessages', 'ChatMessageID', ['TextSubmitted']);
      db.prepare('UPDATE st_ChatMessages SET IsHTML = 0').run();
      rewrite('Tickets', 'TicketID', ['Subject'], 200);
      rewrite('CallLogs', 'CallLogID', ['Subject', 'Description', 'CustomerName'], 200);
      for (const table of [
        'CustomDataFieldsInTickets',
        'CustomDataFieldsInChats',
        'CustomDataFieldsInCallLogs',
        'CustomDataFieldsForUsers',
      ]) {
        db.prepare(`UPDATE st_${table} SET DataContent = substr(DataContent, 1, 200)`).run();
      }
    })();
  } finally {
    db.close();
  }
}
