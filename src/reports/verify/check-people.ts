import type { Company, Contact } from '../../intercom';
import type { MappingFile } from '../../model/mapping';
import type { EndUser, Organization } from '../../model/source';
import { type FieldDifference, mappedFieldDifferences } from './mapped-fields';
import { customValuesOf, type SourceContext } from './source-context';

const asRecord = (value: object): Record<string, unknown> => value as unknown as Record<string, unknown>;

/** A company holds its organization's id and every mapped field. */
export function companyDifferences(map: MappingFile, org: Organization, company: Company): FieldDifference[] {
  const out: FieldDifference[] = [];
  if (company.company_id !== String(org.id))
    out.push({ field: 'company_id', source: String(org.id), intercom: company.company_id ?? '(empty)' });
  out.push(...mappedFieldDifferences(map, 'companies', asRecord(org), new Map(), company as Record<string, unknown>));
  return out;
}

/**
 * A contact holds its user's id and every mapped field. A contact that existed before the migration
 * (found by its email) keeps its own values: only that it is the user's is checked.
 */
export function contactDifferences(
  map: MappingFile,
  ctx: SourceContext,
  user: EndUser,
  contact: Contact,
  existedBefore: boolean,
): FieldDifference[] {
  const out: FieldDifference[] = [];
  if (existedBefore) {
    const email = user.email?.trim().toLowerCase();
    if (email && contact.email?.trim().toLowerCase() !== email)
      out.push({ field: 'email', source: user.email ?? '', intercom: contact.email ?? '(empty)' });
    return out;
  }
  if (contact.external_id !== String(user.id))
    out.push({ field: 'external_id', source: String(user.id), intercom: contact.external_id ?? '(empty)' });
  out.push(
    ...mappedFieldDifferences(
      map,
      'contacts',
      asRecord(user),
      customValuesOf(ctx, 'user', user.id),
      contact as Record<string, unknown>,
    ),
  );
  return out;
}
