import type { PreviewRecord } from '../src/model/mapping-editor-messages';

/** "Ticket 20240115-0003 · Printer jams"; the record's id where it has no number or name, "Record 17" without a caption. */
export function recordCaptionText(record: Pick<PreviewRecord, 'id' | 'caption'>): string {
  const caption = record.caption;
  if (!caption) return `Record ${record.id}`;
  const head = `${caption.kind} ${caption.name ?? record.id}`;
  return caption.detail ? `${head} · ${caption.detail}` : head;
}
