import type { SourceReader } from '../source';

export interface SampleSelection {
  ticketIds: Set<number>;
  chatIds: Set<number>;
  callLogIds: Set<number>;
}

/**
 * Picks `size` tickets spread across departments and statuses (round-robin over those strata, in
 * source order, so the same source gives the same sample), plus a few chats and call logs so every
 * channel is rehearsed. Deleted and spam tickets, and tickets without a customer, are left out.
 */
export async function selectSample(reader: SourceReader, size: number): Promise<SampleSelection> {
  const strata = new Map<string, number[]>();
  for await (const t of reader.tickets()) {
    if (t.deleted || t.spam || t.customerUserId === null) continue;
    const key = `${t.departmentId ?? '-'}|${t.statusName ?? '-'}`;
    const list = strata.get(key) ?? [];
    if (list.length < size) list.push(t.id);
    strata.set(key, list);
  }
  const ticketIds = new Set<number>();
  const lists = [...strata.values()];
  for (let i = 0; ticketIds.size < size && lists.some((l) => i < l.length); i++) {
    for (const list of lists) {
      const id = list[i];
      if (id !== undefined && ticketIds.size < size) ticketIds.add(id);
    }
  }
  const extra = Math.max(1, Math.ceil(size / 5));
  const chatIds = new Set<number>();
  for await (const c of reader.liveChats()) {
    if (chatIds.size >= extra) break;
    if (!c.deleted && c.customerUserId !== null) chatIds.add(c.id);
  }
  const callLogIds = new Set<number>();
  for await (const c of reader.callLogs()) {
    if (callLogIds.size >= extra) break;
    if (!c.deleted && c.customerUserId !== null) callLogIds.add(c.id);
  }
  return { ticketIds, chatIds, callLogIds };
}
