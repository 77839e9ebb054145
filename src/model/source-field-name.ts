// The name a reviewer reads for a source field: the custom field's own label, or the canonical
// property (`brandName`) in words ("Brand name"). The property itself is still shown beside it, as
// mapping.json spells it.

const ACRONYMS: Record<string, string> = { id: 'ID', html: 'HTML', url: 'URL', ip: 'IP' };

/** `brandName` → "Brand name", `bodyHtml` → "Body HTML"; anything not a plain camelCase name is kept as it is. */
export function wordsOfProperty(property: string): string {
  if (!/^[a-z][a-zA-Z]*$/.test(property)) return property;
  const words = property.split(/(?=[A-Z])/).map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** A field's label when it has one of its own (custom fields), else its property in words. */
export function sourceFieldName(source: string, label?: string | null): string {
  return label && label !== source ? label : wordsOfProperty(source);
}
