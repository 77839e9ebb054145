import { buildDefaultMap, type FieldChannel } from '../mapping/default-map';
import type { MappingFile } from '../model/mapping';
import type { CustomField } from '../model/source';
import type { SourceReader } from '../source/reader';

const SAMPLES_PER_FIELD = 8;

/** Reads what the default map and the heuristic need from the source: fields, their channels and sample values. */
export async function proposeMap(reader: SourceReader): Promise<MappingFile> {
  const customFields: CustomField[] = [];
  const fieldChannels = new Map<number, Set<FieldChannel>>();
  const samples = new Map<number, string[]>();
  const channelsOf = (id: number) => fieldChannels.get(id) ?? fieldChannels.set(id, new Set()).get(id)!;
  for await (const f of reader.customFields()) {
    customFields.push(f);
    for (const t of f.templates) for (const d of t.departments) channelsOf(f.id).add(d.channel);
  }
  for await (const v of reader.customFieldValues()) {
    channelsOf(v.fieldId).add(v.channel);
    const list = samples.get(v.fieldId) ?? [];
    if (v.value !== null && v.value.trim() !== '' && list.length < SAMPLES_PER_FIELD) list.push(v.value);
    samples.set(v.fieldId, list);
  }
  const statuses = [];
  for await (const s of reader.ticketStatuses()) statuses.push(s);
  const priorities = [];
  for await (const p of reader.ticketPriorities()) priorities.push(p);
  const departmentNames: string[] = [];
  for await (const d of reader.departments()) if (d.name) departmentNames.push(d.name);
  const brands = [];
  for await (const b of reader.brands()) brands.push({ id: b.id, name: b.name });
  return buildDefaultMap({ customFields, fieldChannels, samples, statuses, priorities, departmentNames, brands });
}
