import { randomBytes } from 'node:crypto';

export interface WebviewHtmlInput {
  /** webview.cspSource: the origin VS Code serves local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  nonce?: string;
}

/** A fresh nonce per document: 128 random bits. */
function makeNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The content security policy of the mapping editor: nothing loads but our own bundle (by nonce) and
 * stylesheet, no inline script, no inline style but Lit's own (by the same nonce), no eval, no network. Source data never goes into the HTML:
 * it arrives later by postMessage and is rendered as text.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // Lit falls back to <style nonce> elements where constructable stylesheets are missing (lit-nonce.ts).
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function webviewHtml(input: WebviewHtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(input.styleUri)}">
<title>${escapeAttribute(input.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading the field map…</p></main>
<script type="module" nonce="${nonce}" src="${escapeAttribute(input.scriptUri)}"></script>
</body>
</html>
`;
}
