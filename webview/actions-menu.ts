import { button, h } from './dom';
import { menuMove } from './row-actions';

export interface MenuItem {
  label: string;
  /** The accessible name, which names the field the item acts on ("Edit Brand name"). */
  name: string;
  role: string;
  run: () => void;
}

/**
 * A `⋯` menu button (WAI-ARIA menu button): Enter, Space or a click opens its menu on the first item;
 * the arrow keys, Home, End and a letter move; Enter or Space acts; Escape closes it back onto the
 * button, Tab closes it and goes on from the button; a click elsewhere closes it. The menu is made when opened, next to the button (in the same cell).
 * vscode-context-menu is not used: it has no menu roles and keeps the focus off its items.
 */
export function actionsMenuButton(
  name: string,
  items: readonly MenuItem[],
  extra: Record<string, string> = {},
): HTMLElement {
  const trigger = button('⋯', () => (menu ? close(true) : open()), {
    secondary: true,
    'aria-label': name,
    'aria-haspopup': 'menu',
    'aria-expanded': 'false',
    title: name,
    ...extra,
  });
  let menu: HTMLElement | undefined;

  // The focus leaves the menu before the menu goes: removing a focused element blurs it, and its
  // focusout would close the menu a second time.
  const close = (refocus: boolean) => {
    const closing = menu;
    menu = undefined;
    trigger.setAttribute('aria-expanded', 'false');
    if (refocus) trigger.focus();
    closing?.remove();
  };

  const open = () => {
    const entries = items.map((item) =>
      h('div', { role: 'menuitem', tabindex: -1, 'aria-label': item.name, 'data-role': item.role }, item.label),
    );
    const list = h('div', { class: 'row-menu', role: 'menu', 'aria-label': name }, ...entries);
    const labels = items.map((i) => i.label);
    const act = (index: number) => {
      close(true);
      items[index]?.run();
    };
    entries.forEach((entry, index) => entry.addEventListener('click', () => act(index)));
    list.addEventListener('keydown', (event) => {
      const at = entries.findIndex((entry) => entry === event.target);
      const move = menuMove(labels, Math.max(at, 0), event.key);
      if (!move) return;
      // The keys stay in the menu: the field table's grid must not move the row under it.
      event.stopPropagation();
      if (move.kind !== 'close' || !move.passOn) event.preventDefault();
      if (move.kind === 'focus') entries[move.index]?.focus();
      else if (move.kind === 'activate') act(move.index);
      else close(true);
    });
    // A click elsewhere or Tab away: the menu goes, the focus stays where it went.
    list.addEventListener('focusout', (event) => {
      const to = event.relatedTarget as Node | null;
      if (menu === list && !(to && list.contains(to)) && to !== trigger) close(false);
    });
    menu = list;
    trigger.setAttribute('aria-expanded', 'true');
    trigger.insertAdjacentElement('afterend', list);
    entries[0]?.focus();
  };

  return trigger;
}
