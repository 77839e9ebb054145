// Builds DOM nodes with text only: source data (untrusted HTML) is never parsed as markup here.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

/** A value as a reviewer reads it: empty shows as a dash, long text stays whole (CSS wraps it). */
export function valueText(value: string | number | boolean | null): string {
  if (value === null || value === '') return '—';
  return String(value);
}

/** A select built from @vscode-elements: options are text nodes too. */
export function select(
  label: string,
  options: readonly { value: string; label: string }[],
  value: string,
  onChange: (value: string) => void,
  extra: Attrs = {},
): HTMLElement {
  const el = h('vscode-single-select', { 'aria-label': label, ...extra });
  for (const o of options) el.appendChild(h('vscode-option', { value: o.value, selected: o.value === value }, o.label));
  el.addEventListener('change', () => onChange((el as HTMLElement & { value: string }).value));
  return el;
}

/** A text field; `on: 'change'` reports only committed values (Enter or leaving the field), for edits of the file. */
export function textfield(
  label: string,
  value: string,
  onValue: (value: string) => void,
  extra: Attrs = {},
  on: 'input' | 'change' = 'input',
): HTMLElement {
  const el = h('vscode-textfield', { 'aria-label': label, value, ...extra });
  el.addEventListener(on, () => onValue((el as HTMLElement & { value: string }).value));
  return el;
}

export function button(label: string, onClick: () => void, extra: Attrs = {}): HTMLElement {
  return h('vscode-button', { onclick: () => onClick(), ...extra }, label);
}

/** Focuses an element and scrolls only as far as needed; scroll-padding keeps it clear of the sticky toolbar. */
export function focusInView(el: HTMLElement): void {
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}
