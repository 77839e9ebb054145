import type { IntercomClient } from '../intercom';
import { type AiSettings, proposeWithAi, type ProposeWithAiResult } from '../mapping/ai-proposer';
import type { SourceSchemaInput } from '../mapping/ai-request';
import type { WorkspaceAttribute } from '../mapping/ai-schema';
import { buildDefaultMap, type DefaultMapInputs, type FieldChannel } from '../mapping/default-map';
import type { MappedObject, MappingFile } from '../model/mapping';
import type { CustomField } from '../model/source';
import type { SourceReader } from '../source';

const SAMPLES_PER_FIELD = 8;

/** Reads what the default map and the heuristic need from the source: fields, their channels and sample values. */
export async function collectMapInputs(reader: SourceReader): Promise<DefaultMapInputs> {
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
  const departments = [];
  for await (const d of reader.departments()) {
    if (d.name) departmentNames.push(d.name);
    departments.push({ id: d.id, name: d.name, deleted: d.deleted });
  }
  const brands = [];
  for await (const b of reader.brands()) brands.push({ id: b.id, name: b.name });
  return { customFields, fieldChannels, samples, statuses, priorities, departmentNames, departments, brands };
}

/** The default map with heuristic proposals. */
export async function proposeMap(reader: SourceReader): Promise<MappingFile> {
  return buildDefaultMap(await collectMapInputs(reader));
}

/** The first few non-empty values of every canonical record field, per object (value shapes for the AI proposer). */
export async function collectStandardSamples(
  reader: SourceReader,
): Promise<NonNullable<SourceSchemaInput['standardSamples']>> {
  const out: Partial<Record<MappedObject, Record<string, unknown[]>>> = {};
  const take = async (object: MappedObject, records: AsyncIterable<object>) => {
    const fields: Record<string, unknown[]> = {};
    let n = 0;
    for await (const record of records) {
      for (const [key, value] of Object.entries(record)) {
        if (value === null || value === undefined || value === '') continue;
        const list = fields[key] ?? (fields[key] = []);
        if (list.length < SAMPLES_PER_FIELD) list.push(value);
      }
      if (++n >= SAMPLES_PER_FIELD * 3) break;
    }
    out[object] = fields;
  };
  await take('companies', reader.organizations());
  await take('contacts', reader.endUsers());
  await take('tickets', reader.tickets());
  await take('liveChats', reader.liveChats());
  await take('callLogs', reader.callLogs());
  await take('kbArticles', reader.kbArticles());
  return out;
}

/** The workspace's existing contact, company and conversation attributes, for the AI proposer's target list. */
export async function fetchWorkspaceAttributes(client: IntercomClient): Promise<WorkspaceAttribute[]> {
  const out: WorkspaceAttribute[] = [];
  for (const model of ['contact', 'company'] as const) {
    for (const a of await client.dataAttributes.list(model)) {
      // Built-in attributes (custom: false) are the standard fields, listed separately.
      if (a.archived || a.custom === false) continue;
      out.push({ model, name: a.name, dataType: a.data_type, ...optionsOf(a.options) });
    }
  }
  for (const a of await client.dataAttributes.listConversationAttributes()) {
    if (a.archived) continue;
    out.push({
      model: 'conversation',
      name: a.name,
      dataType: a.data_type,
      ...optionsOf((a as { options?: unknown }).options),
    });
  }
  return out;
}

function optionsOf(options: unknown): { options?: string[] } {
  if (!Array.isArray(options)) return {};
  const values = options
    .map((o) =>
      typeof o === 'string'
        ? o
        : o && typeof o === 'object'
          ? ((o as { value?: unknown; label?: unknown }).value ?? (o as { label?: unknown }).label)
          : undefined,
    )
    .filter((v): v is string => typeof v === 'string');
  return values.length ? { options: values } : {};
}

export interface ProposeMapWithAiOptions {
  settings: Partial<AiSettings>;
  apiKey?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Existing workspace attributes; [] when no Intercom client is available. */
  attributes?: readonly WorkspaceAttribute[];
  maxRetries?: number;
  log?: (line: string) => void;
}

/** The default map, refined by the AI proposer when it is enabled and reachable; the default map otherwise. */
export async function proposeMapWithAi(
  reader: SourceReader,
  options: ProposeMapWithAiOptions,
): Promise<ProposeWithAiResult> {
  const inputs = await collectMapInputs(reader);
  const map = buildDefaultMap(inputs);
  if (!options.settings.enabled)
    return { map, proposals: [], warnings: [], usedAi: false, skipped: 'the AI proposer is off' };
  const standardSamples = await collectStandardSamples(reader);
  return proposeWithAi({
    map,
    source: { customFields: inputs.customFields, customSamples: inputs.samples, standardSamples },
    attributes: options.attributes ?? [],
    settings: options.settings,
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
