import { Parser } from 'htmlparser2';

/**
 * The words a reader sees in a text, for comparing the source with Intercom. Written apart from the
 * transforms in src/mapping on purpose (DESIGN.md: a check that reuses what it checks cannot fail):
 * HTML is read with htmlparser2, element boundaries that a browser renders as a break (cells, rows,
 * paragraphs, list items, line breaks) separate words, inline elements do not, and the contents of
 * script, style and head are not text a reader sees.
 */

/** Elements whose edges separate words when rendered. */
const BREAKING = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'img',
  'input',
  'button',
  'select',
  'option',
  'textarea',
  'html',
  'body',
]);

/** Elements whose content is never shown to a reader. */
const HIDDEN = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);

/** Control characters other than white space carry no words: removed, so "Hello\0world" reads "Helloworld". */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Splits visible text into words: NFC, no control characters; a word is a run of letters, marks and
 * digits, and every other visible character (punctuation, symbols, emoji) is a word of its own, so a
 * comma the migration writes after a name does not hide the name, while "disk97%" is not "disk 97%".
 */
function splitWords(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .replace(CONTROL, '')
      .match(/[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}\p{Cf}]/gu) ?? []
  );
}

/** The text a browser would render from an HTML fragment, with breaking elements as white space. */
export function visibleTextOfHtml(html: string): string {
  const out: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN.has(name)) hidden++;
        if (BREAKING.has(name)) out.push(' ');
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        if (BREAKING.has(name)) out.push(' ');
      },
      ontext(text) {
        if (hidden === 0) out.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return out.join('');
}

export const wordsOfHtml = (html: string): string[] => splitWords(visibleTextOfHtml(html));
export const wordsOfText = (text: string): string[] => splitWords(text);

/** Where the source's words stop being found in Intercom's, in order. */
export interface WordGap {
  /** Source words not found in order. */
  missing: number;
  /** Of the source's words. */
  total: number;
  /** The first missing word with a little of its context, as the source has it. */
  firstMissing: string;
  /** What Intercom holds around the place the word was expected. */
  intercomContext: string;
}

const CONTEXT = 6;

/** Past this many comparisons (source words × Intercom words) the alignment falls back to a greedy scan. */
const ALIGN_LIMIT = 4_000_000;

/**
 * For each source word, the index of the Intercom word it matches (-1: missing), keeping order and
 * matching as many as possible (a longest common subsequence), so one lost word does not make the
 * words after it look lost too.
 */
function align(source: readonly string[], intercom: readonly string[]): number[] {
  const n = source.length;
  const m = intercom.length;
  if (n * m > ALIGN_LIMIT) return greedy(source, intercom);
  // lcs[i][j]: longest common subsequence of source[i..] and intercom[j..], row-major.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        source[i] === intercom[j]
          ? lcs[(i + 1) * w + j + 1]! + 1
          : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const matched = new Array<number>(n).fill(-1);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (source[i] === intercom[j] && lcs[i * w + j] === lcs[(i + 1) * w + j + 1]! + 1) matched[i++] = j++;
    else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) i++;
    else j++;
  }
  return matched;
}

function greedy(source: readonly string[], intercom: readonly string[]): number[] {
  let at = 0;
  return source.map((word) => {
    let j = at;
    while (j < intercom.length && intercom[j] !== word) j++;
    if (j === intercom.length) return -1;
    at = j + 1;
    return j;
  });
}

/**
 * Every source word must appear in Intercom's words in the same order; Intercom may hold more (a
 * byline, a heading the migration adds). Null when all are there; else how many are not, and where.
 */
export function wordGap(source: readonly string[], intercom: readonly string[]): WordGap | null {
  const matched = align(source, intercom);
  const first = matched.indexOf(-1);
  if (first < 0) return null;
  const missing = matched.filter((j) => j < 0).length;
  // Where in Intercom the word was expected: right after the last word matched before it.
  let at = 0;
  for (let i = first - 1; i >= 0; i--)
    if (matched[i]! >= 0) {
      at = matched[i]! + 1;
      break;
    }
  const around = (words: readonly string[], index: number) =>
    words.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).join(' ');
  const marked = [
    ...source.slice(Math.max(0, first - CONTEXT), first),
    `«${source[first]}»`,
    ...source.slice(first + 1, first + CONTEXT + 1),
  ].join(' ');
  return { missing, total: source.length, firstMissing: marked, intercomContext: around(intercom, at) || '(no text)' };
}
