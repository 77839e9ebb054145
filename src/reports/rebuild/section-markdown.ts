import type { RebuildSection } from '../../model/reports';

function line(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

export interface SectionLayout {
  /** Markdown heading level of the section; each entry gets the next one. */
  level: number;
  heading: string;
  /** Entries shown; the rest are counted and left to `moreIn` (a JSON file that has them all). */
  cap?: number;
  moreIn?: string;
}

/** One rebuild section as a checklist: per entry, what it was in SmarterTrack and the steps in Intercom. */
export function rebuildSectionMarkdown(section: RebuildSection, layout: SectionLayout): string[] {
  const hashes = '#'.repeat(layout.level);
  const out = [`${hashes} ${layout.heading}`, '', section.summary, ''];
  const shown = section.entries.slice(0, layout.cap ?? section.entries.length);
  for (const entry of shown) {
    out.push(`${hashes}# ${line(entry.name)}${entry.sourceId ? ` (SmarterTrack #${entry.sourceId})` : ''}`, '');
    out.push('In SmarterTrack:', '');
    for (const fact of entry.inSmarterTrack) out.push(`- ${line(fact)}`);
    out.push('', 'In Intercom:', '');
    for (const step of entry.inIntercom) out.push(`- [ ] ${line(step)}`);
    out.push('');
  }
  const more = section.entries.length - shown.length;
  if (more > 0)
    out.push(`… and ${more.toLocaleString('en-US')} more${layout.moreIn ? ` (all in ${layout.moreIn})` : ''}.`, '');
  return out;
}
