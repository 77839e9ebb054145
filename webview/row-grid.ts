import type { MappedObject } from '../src/model/mapping';
import { focusInView } from './dom';
import { type GridCell, type GridRow, moveCell, resolveCursor } from './grid-navigation';
import type { Ui } from './ui-state';

/**
 * The field table's row actions as one keyboard grid (WAI-ARIA grid pattern): a single tab stop that
 * roves with the arrow keys, Home and End. The position lives in the UI state, so the redraw after
 * every host message puts the tab stop back where it was.
 */
export class RowGrid {
  private readonly rows: GridRow[] = [];
  private readonly cells: Map<number, HTMLElement>[] = [];

  constructor(
    private readonly ui: Ui,
    private readonly object: MappedObject,
  ) {}

  /** Registers a row's actions (null where the row does not offer one) and returns those it shows. */
  addRow(key: string, actions: readonly (HTMLElement | null)[]): HTMLElement[] {
    const row = this.rows.length;
    const cells = new Map<number, HTMLElement>();
    actions.forEach((el, column) => {
      if (!el) return;
      el.dataset.gridRow = String(row);
      el.dataset.gridColumn = String(column);
      cells.set(column, el);
    });
    this.rows.push({ key, columns: [...cells.keys()] });
    this.cells.push(cells);
    return [...cells.values()];
  }

  /** Gives the table its one tab stop and its keys; call once every row is added. */
  attach<T extends HTMLElement>(table: T): T {
    const stop = resolveCursor(this.rows, this.ui.grid[this.object]);
    if (stop) this.cell(stop)?.setAttribute('data-grid-stop', '');
    // vscode-button sets its own tabindex back to 0 in its first update (a microtask after it is
    // connected): the roving tabindex goes on after that, where the stop is by then.
    requestAnimationFrame(() => {
      for (const cells of this.cells)
        for (const el of cells.values()) el.setAttribute('tabindex', el.hasAttribute('data-grid-stop') ? '0' : '-1');
    });
    // A click moves the tab stop too, so that Tab comes back to the action last used.
    table.addEventListener('focusin', (event) => {
      const at = this.cellOf(event.target);
      if (at) this.moveTo(table, at);
    });
    table.addEventListener('keydown', (event) => {
      const at = this.cellOf(event.target);
      if (!at || event.altKey || event.metaKey) return;
      if (event.key === ' ') event.preventDefault(); // the button acts on it; the page must not scroll
      const next = moveCell(this.rows, at, event.key);
      if (!next) return;
      event.preventDefault();
      const el = this.moveTo(table, next);
      if (el) focusInView(el);
    });
    return table;
  }

  private moveTo(table: HTMLElement, at: GridCell): HTMLElement | undefined {
    const el = this.cell(at);
    const row = this.rows[at.row];
    if (!el || !row) return undefined;
    for (const old of Array.from(table.querySelectorAll('[data-grid-column][tabindex="0"], [data-grid-stop]'))) {
      if (old === el) continue;
      old.setAttribute('tabindex', '-1');
      old.removeAttribute('data-grid-stop');
    }
    el.setAttribute('tabindex', '0');
    el.setAttribute('data-grid-stop', '');
    this.ui.grid[this.object] = { row: row.key, index: at.row, column: at.column };
    return el;
  }

  private cell(at: GridCell): HTMLElement | undefined {
    return this.cells[at.row]?.get(at.column);
  }

  private cellOf(target: EventTarget | null): GridCell | undefined {
    if (!(target instanceof HTMLElement) || target.dataset.gridColumn === undefined) return undefined;
    return { row: Number(target.dataset.gridRow), column: Number(target.dataset.gridColumn) };
  }
}
