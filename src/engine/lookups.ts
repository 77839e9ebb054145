import type { SourceReader } from '../source';

/** Small source lookup tables the engine joins records with (departments, groups, brands). */
export interface SourceLookups {
  departments: Map<number, { name: string | null; brandId: number | null }>;
  groups: Map<string, string | null>;
  brands: Map<number, string | null>;
}

export async function loadLookups(reader: SourceReader): Promise<SourceLookups> {
  const lookups: SourceLookups = { departments: new Map(), groups: new Map(), brands: new Map() };
  for await (const d of reader.departments()) lookups.departments.set(d.id, { name: d.name, brandId: d.brandId });
  for await (const g of reader.groups()) lookups.groups.set(`${g.departmentId}:${g.id}`, g.name);
  for await (const b of reader.brands()) lookups.brands.set(b.id, b.name);
  return lookups;
}

/** The derived fields a map can use (`channel`, `departmentName`, `groupName`, `brandName`). */
export function derivedFields(
  lookups: SourceLookups,
  channel: 'ticket' | 'live chat' | 'call log',
  departmentId: number | null,
  groupId: number | null,
  brandId: number | null = null,
): Record<string, string | null> {
  const dept = departmentId === null ? undefined : lookups.departments.get(departmentId);
  const brand = brandId ?? dept?.brandId ?? null;
  return {
    channel,
    departmentName: dept?.name ?? null,
    groupName:
      departmentId !== null && groupId !== null ? (lookups.groups.get(`${departmentId}:${groupId}`) ?? null) : null,
    brandName: brand === null ? null : (lookups.brands.get(brand) ?? null),
  };
}
