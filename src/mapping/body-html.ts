import { DomUtils, parseDocument } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';

import { cleanText } from './clean-text';

/**
 * Message bodies as Intercom renders them. Intercom shows a part's `body` as HTML, so source HTML is
 * sanitised down to what its inbox renders (sanitize-html, not regular expressions: a real parser
 * that keeps text and drops only markup), and source plain text is escaped so `a<b` stays text.
 */

/** What Intercom's inbox renders: paragraphs, line breaks, bold, italic, links, lists, code, images. */
const ALLOWED_TAGS = [
  'p',
  'br',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'a',
  'ul',
  'ol',
  'li',
  'code',
  'pre',
  'img',
  'blockquote',
];

/** Block elements Intercom does not render become paragraphs, so their text keeps its own line. */
const AS_PARAGRAPH = [
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'address',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'center',
  'caption',
  'tr',
  'form',
  'fieldset',
  'details',
  'summary',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title', 'width', 'height'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data', 'cid'] },
  transformTags: Object.fromEntries(AS_PARAGRAPH.map((tag) => [tag, 'p'])),
  // Text of elements a reader never sees (scripts, styles) is dropped with them; all other text stays.
  nonTextTags: ['script', 'style', 'noscript', 'head', 'title', 'template'],
};

const BLOCKS = new Set([
  ...AS_PARAGRAPH,
  'p',
  'br',
  'li',
  'ul',
  'ol',
  'pre',
  'blockquote',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'td',
  'th',
  'hr',
]);

type ChildNode = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<ChildNode, { name: string; attribs: Record<string, string> }>;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Plain text as HTML: escaped, control characters removed, line breaks kept (a blank line starts a
 * paragraph, a single one is a `<br>`). Empty text gives ''.
 */
export function textToHtml(text: string | null | undefined): string {
  const clean = cleanText(text ?? '')
    .text.replace(/\r\n?/g, '\n')
    .trim();
  if (!clean) return '';
  return clean
    .split(/\n[ \t]*\n+/)
    .map((para) => `<p>${para.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('');
}

/** Source HTML as Intercom HTML: sanitised, tables as one paragraph per row with cells joined by " | ". */
export function sanitizeBodyHtml(html: string | null | undefined): string {
  const clean = cleanText(html ?? '').text;
  if (!clean.trim()) return '';
  const doc = parseDocument(clean, { decodeEntities: true });
  flattenTables(doc.children);
  return sanitizeHtml(
    DomUtils.getOuterHTML(doc.children, { decodeEntities: false, encodeEntities: 'utf8' }),
    SANITIZE,
  ).trim();
}

/**
 * A message's body: its HTML when that shows any text or image, else its plain-text twin
 * (SmarterTrack stores both; an HTML body of only markup must not hide the text).
 */
export function messageBodyHtml(html: string | null | undefined, text: string | null | undefined): string {
  const fromHtml = html && html.trim() ? sanitizeBodyHtml(html) : '';
  if (fromHtml && (visibleText(fromHtml) !== '' || /<img\b/i.test(fromHtml))) return fromHtml;
  return textToHtml(text);
}

/** A bracketed line of ours (who sent it, what it is) above a body. */
export function withHeading(heading: string, bodyHtml: string): string {
  return `${textToHtml(heading)}${bodyHtml}`;
}

/** Whether an HTML body has text a reader sees. */
function visibleText(html: string): string {
  const doc = parseDocument(html, { decodeEntities: true });
  return DomUtils.textContent(doc).trim();
}

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Replaces every table (innermost first) by one paragraph per row: "cell | cell | cell". */
function flattenTables(nodes: ChildNode[]): void {
  const tables = DomUtils.findAll((e) => e.name === 'table', nodes).reverse();
  for (const table of tables) {
    const rows: string[] = [];
    for (const caption of DomUtils.findAll((e) => e.name === 'caption', table.children)) rows.push(cellHtml(caption));
    for (const row of DomUtils.findAll((e) => e.name === 'tr', table.children)) {
      const cells = row.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th'));
      const line = cells
        .map(cellHtml)
        .filter((c) => c !== '')
        .join(' | ');
      if (line) rows.push(line);
    }
    const replacement = parseDocument(rows.map((r) => `<p>${r}</p>`).join(''), { decodeEntities: true }).children;
    // Copied: prepend moves each node out of the parsed fragment's live list.
    for (const node of [...replacement]) DomUtils.prepend(table, node);
    DomUtils.removeElement(table);
  }
}

/** A cell's content on one line: block boundaries inside it become spaces so words do not run together. */
function cellHtml(cell: Element): string {
  for (const inner of DomUtils.findAll((e) => BLOCKS.has(e.name), cell.children)) {
    DomUtils.prepend(inner, parseDocument(' ').children[0]!);
    DomUtils.append(inner, parseDocument(' ').children[0]!);
  }
  const html = DomUtils.getInnerHTML(cell, { decodeEntities: false, encodeEntities: 'utf8' });
  return sanitizeHtml(html, {
    ...SANITIZE,
    allowedTags: ['b', 'strong', 'i', 'em', 'u', 's', 'a', 'code', 'img'],
    transformTags: {},
  })
    .replace(/\s+/g, ' ')
    .trim();
}

// ── help center articles ─────────────────────────────────────────────────────────────────────────

/**
 * What an article body keeps. Intercom's 2.16 description says only that `body` is "the content of
 * the article in HTML" (create_article_request); an article is a document, and Intercom's article
 * editor writes headings, tables, nested lists, code blocks, rules and images, so those keep their
 * form (an assumption from the editor, not from the API description: a tag it drops loses form, not
 * text). Styles, classes, fonts and editor debris go; their text stays.
 */
const ARTICLE_TAGS = [
  'p',
  'br',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'sub',
  'sup',
  'a',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'hr',
  'img',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
];

const ARTICLE_AS_PARAGRAPH = [
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'address',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'center',
  'form',
  'fieldset',
  'details',
  'summary',
];

/** Elements that must not reach a public help center; each one found is named in the run's warning. */
const ACTIVE_TAGS = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'applet',
  'base',
  'meta',
  'link',
]);

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster']);

/** Resolves a relative image address against the public base; absolute (http(s), data, //host) ones stay. */
function resolveImage(src: string, baseUrl: string | null): string | undefined {
  if (/^(https?:|data:|\/\/)/i.test(src)) return src;
  if (!baseUrl) return undefined;
  return new URL(src.replace(/^\/+/, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

/** What the sanitiser will take out that a person should hear of: active elements, handlers, script addresses. */
function activeContentIn(html: string): string[] {
  const removed = new Set<string>();
  const doc = parseDocument(html, { decodeEntities: true });
  for (const element of DomUtils.findAll(() => true, doc.children)) {
    if (ACTIVE_TAGS.has(element.name)) removed.add(`<${element.name}>`);
    for (const [name, value] of Object.entries(element.attribs)) {
      if (/^on/i.test(name)) removed.add('event handlers');
      // Browsers ignore whitespace and control characters inside a scheme: "java\tscript:" runs too.
      if (
        URL_ATTRIBUTES.has(name.toLowerCase()) &&
        /^(javascript|vbscript|data:text\/html)/i.test(value.replace(/[\s\p{Cc}]+/gu, ''))
      )
        removed.add('javascript: addresses');
    }
  }
  return [...removed];
}

/**
 * A help center article's body: sanitised by sanitize-html for an article (see ARTICLE_TAGS), control
 * characters removed, relative images rewritten to `imageBaseUrl`. `removed` names the active content
 * taken out (for the run's warning); `unresolved` lists relative images left as they were for want of a base.
 */
export function articleBodyHtml(
  html: string | null | undefined,
  imageBaseUrl: string | null,
): { html: string; removed: string[]; unresolved: string[] } {
  const clean = cleanText(html ?? '').text;
  if (!clean.trim()) return { html: '', removed: [], unresolved: [] };
  const unresolved: string[] = [];
  const out = sanitizeHtml(clean, {
    allowedTags: ARTICLE_TAGS,
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      ol: ['start'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    transformTags: {
      ...Object.fromEntries(ARTICLE_AS_PARAGRAPH.map((tag) => [tag, 'p'])),
      img: (tagName, attribs) => {
        const src = attribs.src?.trim();
        if (!src) return { tagName, attribs };
        const resolved = resolveImage(src, imageBaseUrl);
        if (resolved === undefined) unresolved.push(src);
        return { tagName, attribs: { ...attribs, src: resolved ?? src } };
      },
    },
    nonTextTags: ['script', 'style', 'noscript', 'head', 'title', 'template', 'iframe', 'noframes', 'object', 'applet'],
  }).trim();
  return { html: out, removed: activeContentIn(clean), unresolved };
}
