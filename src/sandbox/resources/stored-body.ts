/**
 * A message body as Intercom stores and reports it: HTML that starts with a block element is kept;
 * other HTML is wrapped in one `<p>`; plain text becomes one `<p>` per line, entities escaped
 * (`"Hello"` comes back as `<p>Hello</p>`, as in Intercom's examples).
 */
const BLOCK_START = /^\s*<(p|div|ul|ol|h[1-6]|blockquote|pre|table|figure|img|hr|br)\b/i;
const ANY_TAG = /<\/?[a-z][^>]*>/i;

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function storedBody(text: string): string {
  if (ANY_TAG.test(text)) return BLOCK_START.test(text) ? text : `<p>${text}</p>`;
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}
