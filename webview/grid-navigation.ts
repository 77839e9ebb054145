// Where the keyboard goes in the field table (the WAI-ARIA grid pattern with a roving tabindex), kept
// apart from the DOM so that it can be tested alone. Columns are the row actions (Accept, then the ⋯
// menu button); a row shows only some of them, so a move lands on the nearest one the row has.

/** One row as the grid sees it: its key and the action columns it shows, in order (never empty). */
export interface GridRow {
  key: string;
  columns: readonly number[];
}

/** The roving position as the UI state keeps it: by row key, with the row's place as a fallback when the row goes (a filter, a redraw). */
export interface GridCursor {
  row: string;
  index: number;
  column: number;
}

export interface GridCell {
  row: number;
  column: number;
}

function nearest(columns: readonly number[], column: number): number {
  let best = columns[0] ?? 0;
  for (const c of columns) if (Math.abs(c - column) < Math.abs(best - column)) best = c;
  return best;
}

/** The cell that holds the single tab stop: the cursor's row if still shown, else the row now at its place; undefined for an empty grid. */
export function resolveCursor(rows: readonly GridRow[], cursor: GridCursor | undefined): GridCell | undefined {
  if (rows.length === 0) return undefined;
  const byKey = cursor ? rows.findIndex((r) => r.key === cursor.row) : -1;
  const row = byKey >= 0 ? byKey : Math.min(Math.max(cursor?.index ?? 0, 0), rows.length - 1);
  return { row, column: nearest(rows[row]!.columns, cursor?.column ?? 0) };
}

/** The cell a key moves to, or undefined when the key is not a grid move (Tab, Enter and Space keep their usual meaning). */
export function moveCell(rows: readonly GridRow[], at: GridCell, key: string): GridCell | undefined {
  const last = rows.length - 1;
  const columns = rows[at.row]?.columns ?? [];
  const place = columns.indexOf(at.column);
  const toRow = (row: number): GridCell => ({ row, column: nearest(rows[row]!.columns, at.column) });
  switch (key) {
    case 'ArrowUp':
      return toRow(Math.max(at.row - 1, 0));
    case 'ArrowDown':
      return toRow(Math.min(at.row + 1, last));
    case 'Home':
      return toRow(0);
    case 'End':
      return toRow(last);
    // Left and right stop at the row's ends: the grid pattern does not wrap to the next row.
    case 'ArrowLeft':
      return { row: at.row, column: columns[Math.max(place - 1, 0)] ?? at.column };
    case 'ArrowRight':
      return { row: at.row, column: columns[Math.min(place + 1, columns.length - 1)] ?? at.column };
    default:
      return undefined;
  }
}
