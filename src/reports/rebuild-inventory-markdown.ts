import type { RebuildInventory } from '../model/reports';
import { rebuildSectionMarkdown } from './rebuild/section-markdown';

/** rebuild-inventory.md: a checklist an Intercom admin works through, one heading per item. */
export function rebuildInventoryMarkdown(inventory: RebuildInventory): string {
  const out: string[] = [];
  const s = inventory.source;
  out.push('# To rebuild by hand in Intercom', '');
  out.push(
    `Generated ${inventory.generatedAt} from ${s.engine} source \`${s.location}\` (table prefix \`${s.tablePrefix}\`); missing teams and agents from ${inventory.ledgerScope.mode === 'run' ? `run \`${inventory.ledgerScope.runId}\`` : "the ledger's current state across runs"}.`,
    '',
  );
  if (inventory.sections.length === 0) {
    out.push('Nothing to rebuild.', '');
    return out.join('\n');
  }
  // Checklist items, one heading each below (one item may stand for many records, e.g. "40 call log(s)").
  out.push('| Area | Checklist items |', '|---|---:|');
  for (const section of inventory.sections) out.push(`| ${section.title} | ${section.entries.length} |`);
  out.push('');
  for (const section of inventory.sections) {
    out.push(...rebuildSectionMarkdown(section, { level: 2, heading: section.title }));
  }
  return out.join('\n');
}
