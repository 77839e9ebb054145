import type { RebuildInventory } from '../model/reports';

function line(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

/** rebuild-inventory.md: a checklist an Intercom admin works through, one heading per item. */
export function rebuildInventoryMarkdown(inventory: RebuildInventory): string {
  const out: string[] = [];
  const s = inventory.source;
  out.push('# To rebuild by hand in Intercom', '');
  out.push(`Generated ${inventory.generatedAt} from ${s.engine} source \`${s.location}\` (table prefix \`${s.tablePrefix}\`); missing teams and agents from ${inventory.ledgerScope.mode === 'run' ? `run \`${inventory.ledgerScope.runId}\`` : 'the ledger\'s current state across runs'}.`, '');
  if (inventory.sections.length === 0) {
    out.push('Nothing to rebuild.', '');
    return out.join('\n');
  }
  // Checklist items, one heading each below (one item may stand for many records, e.g. "40 call log(s)").
  out.push('| Area | Checklist items |', '|---|---:|');
  for (const section of inventory.sections) out.push(`| ${section.title} | ${section.entries.length} |`);
  out.push('');
  for (const section of inventory.sections) {
    out.push(`## ${section.title}`, '', section.summary, '');
    for (const entry of section.entries) {
      out.push(`### ${line(entry.name)}${entry.sourceId ? ` (SmarterTrack #${entry.sourceId})` : ''}`, '');
      out.push('In SmarterTrack:', '');
      for (const fact of entry.inSmarterTrack) out.push(`- ${line(fact)}`);
      out.push('', 'In Intercom:', '');
      for (const step of entry.inIntercom) out.push(`- [ ] ${line(step)}`);
      out.push('');
    }
  }
  return out.join('\n');
}
