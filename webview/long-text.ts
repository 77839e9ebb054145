import { h } from './dom';
import { cutText } from './long-value';

/**
 * A value that may be long (a ticket body runs to thousands of characters): its start, and a toggle
 * that shows all of it. Both states are text nodes, never markup.
 */
export function longText(text: string): (HTMLElement | string)[] {
  const cut = cutText(text);
  if (!cut) return [text];
  const short = `${cut.head}…`;
  const more = `Show all ${cut.total} characters`;
  const shown = h('span', { 'data-role': 'value-text' }, short);
  const toggle = h(
    'button',
    { type: 'button', class: 'link', 'data-role': 'show-all', 'aria-expanded': 'false' },
    more,
  );
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    shown.textContent = open ? text : short;
    toggle.textContent = open ? 'Show less' : more;
    toggle.setAttribute('aria-expanded', String(open));
  });
  return [shown, h('div', {}, toggle)];
}
