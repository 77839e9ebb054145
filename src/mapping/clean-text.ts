/**
 * Control characters (C0 but tab, line feed and carriage return; DEL; C1) are not text: Intercom
 * rejects or mangles them, and SmarterTrack data has them (NULs and bells from old email imports).
 * They are removed and everything else is kept; an unpaired UTF-16 surrogate becomes U+FFFD.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function cleanText(value: string): { text: string; changed: boolean; removed: number } {
  let removed = 0;
  const text = value
    .replace(CONTROL, () => {
      removed++;
      return '';
    })
    .toWellFormed();
  return { text, changed: text !== value, removed };
}
