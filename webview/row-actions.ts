// A field row's actions: one shown as a button (Accept, while the row waits for review) and the rest in
// the row's actions menu, so that a long table is not a wall of buttons. Kept apart from the DOM so that
// it can be tested alone; the menu's keys follow the WAI-ARIA menu button pattern.

export type MenuAction = 'edit' | 'drop';

/** What a row offers: the one action it shows (none once accepted) and those its menu holds, in order. */
export function rowActions(field: { reviewed: boolean; dropped: boolean }): {
  shown: 'accept' | null;
  menu: MenuAction[];
} {
  return { shown: field.reviewed ? null : 'accept', menu: field.dropped ? ['edit'] : ['edit', 'drop'] };
}

/** What a key does in an open menu of `labels`, the item at `at` having the focus; undefined: not a menu key. */
export type MenuMove =
  { kind: 'focus'; index: number } | { kind: 'activate'; index: number } | { kind: 'close'; passOn: boolean };

export function menuMove(labels: readonly string[], at: number, key: string): MenuMove | undefined {
  const count = labels.length;
  if (count === 0) return { kind: 'close', passOn: false };
  switch (key) {
    // Up and down wrap around, as in VS Code's own menus.
    case 'ArrowDown':
      return { kind: 'focus', index: (at + 1) % count };
    case 'ArrowUp':
      return { kind: 'focus', index: (at - 1 + count) % count };
    case 'Home':
      return { kind: 'focus', index: 0 };
    case 'End':
      return { kind: 'focus', index: count - 1 };
    case 'Enter':
    case ' ':
      return { kind: 'activate', index: at };
    // Both close the menu onto its button; Tab then goes on from there as Tab does (out of the table).
    case 'Escape':
      return { kind: 'close', passOn: false };
    case 'Tab':
      return { kind: 'close', passOn: true };
  }
  // A letter goes to the next item that starts with it.
  if (key.length !== 1 || !/\S/.test(key)) return undefined;
  for (let step = 1; step <= count; step++) {
    const index = (at + step) % count;
    if (labels[index]?.toLowerCase().startsWith(key.toLowerCase())) return { kind: 'focus', index };
  }
  return undefined;
}
