import { customFieldIdOf, type MappedObject, type MappingFile } from '../../model/mapping';
import type { RebuildEntry, RebuildSection } from '../../model/reports';
import type { CustomField } from '../../model/source';
import type { SourceReader } from '../../source';

/** A custom field the map drops: where, why, and the field as SmarterTrack defines it (undefined if not found). */
export interface DroppedField {
  id: number;
  field: CustomField | undefined;
  objects: MappedObject[];
  reasons: string[];
}

const MODEL_OF: Record<MappedObject, string> = {
  companies: 'Company',
  contacts: 'People',
  tickets: 'Conversation',
  liveChats: 'Conversation',
  callLogs: 'Conversation',
  kbArticles: 'Article',
};

/** The map's drops of custom fields, by field id, with the source's definition of each. */
export async function readDroppedFields(reader: SourceReader, map: MappingFile): Promise<DroppedField[]> {
  const drops = new Map<number, DroppedField>();
  for (const [object, objectMap] of Object.entries(map.objects) as [
    MappedObject,
    MappingFile['objects'][MappedObject],
  ][]) {
    for (const f of objectMap.fields) {
      const id = customFieldIdOf(f.source);
      if (id === null || f.target.kind !== 'drop') continue;
      const drop = drops.get(id) ?? { id, field: undefined, objects: [], reasons: [] };
      drop.objects.push(object);
      if (f.target.reason) drop.reasons.push(f.target.reason);
      drops.set(id, drop);
    }
  }
  if (!drops.size) return [];
  for await (const field of reader.customFields()) {
    const drop = drops.get(field.id);
    if (drop) drop.field = field;
  }
  return [...drops.values()].sort((a, b) => a.id - b.id);
}

export function droppedCustomFieldsSection(drops: DroppedField[]): RebuildSection {
  return {
    area: 'droppedCustomFields',
    title: 'Custom fields the map drops',
    summary:
      'These fields are dropped by mapping.json, so their values do not reach Intercom. Rebuild them only if people still need them, then change the map before the full run.',
    count: drops.length,
    entries: drops.map(droppedFieldEntry),
  };
}

function droppedFieldEntry({ id, field, objects, reasons }: DroppedField): RebuildEntry {
  const name = field?.name ?? `Custom field ${id}`;
  const models = [...new Set(objects.map((o) => MODEL_OF[o]))];
  return {
    name,
    sourceId: String(id),
    inSmarterTrack: [
      `Custom field "${name}" (${field?.kind ?? 'unknown type'}${field?.options.length ? `: ${field.options.join(', ')}` : ''}) on ${objects.join(', ')}`,
      ...(reasons.length ? [`Dropped by the map: ${[...new Set(reasons)].join('; ')}`] : ['Dropped by the map']),
    ],
    inIntercom: [
      `If it is still needed: Settings → Data → ${models.join(' / ')} data → Create attribute "${name}" (${attributeTypeOf(field)}).`,
      `Then map custom:${id} to that attribute in mapping.json (or keep it dropped), confirm the map again and run the migration.`,
    ],
  };
}

function attributeTypeOf(field: CustomField | undefined): string {
  switch (field?.kind) {
    case 'dropdown':
      return `List${field.options.length ? ` with options ${field.options.join(', ')}` : ''}`;
    case 'checkbox':
      return 'True/false';
    case 'date':
      return 'Date';
    case 'number':
      return 'Number';
    default:
      return 'Text';
  }
}
