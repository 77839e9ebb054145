import type { Catalog } from './catalog';

/** Clues about the SmarterTrack build, from the shape of the schema (no version table is known). */
export function versionHints(catalog: Catalog, engine: string): string[] {
  const hints: string[] = [];
  const prefix = catalog.prefix.toLowerCase();
  const names = [...catalog.allTables.keys()];
  const prefixed = names.filter((n) => n.toLowerCase().startsWith(prefix));
  hints.push(`${prefixed.length} tables with prefix "${catalog.prefix}" (a 2018 install has 166)`);
  if (names.some((n) => n.toLowerCase() === `${prefix}agents`)) {
    hints.push(
      `${catalog.prefix}Agents exists: a newer build with a reworked schema; agents are still read from ${catalog.prefix}Users by role`,
    );
  }
  const orgColumns = catalog.tables.get('Organizations')?.columns;
  if (orgColumns && ['city', 'country', 'address1'].some((c) => orgColumns.has(c))) {
    hints.push('organizations carry address columns: a build newer than 2018');
  }
  if (catalog.column('Users', 'PhoneNumber'))
    hints.push('users carry a phone number: phone organization filters are evaluated');
  else hints.push('users have no phone column: phone organization filters are ignored');
  if (engine === 'sqlite') hints.push('SQLite database: the default engine of current SmarterTrack builds');
  if (engine === 'mssql')
    hints.push(
      'SQL Server database: the engine of classic (2016-2019) installs; server version and backups are in the pre-flight',
    );
  return hints;
}
