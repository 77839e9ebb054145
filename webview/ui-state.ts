import type { MappedObject, MappingFile } from '../src/model/mapping';
import type { EditorState, PreviewRecord } from '../src/model/mapping-editor-messages';
import type { SampleResults } from '../src/model/sample-results';
import type { AttributeDraft } from './attribute-draft';
import type { FieldEdit } from './field-editor';
import type { GridCursor } from './grid-navigation';
import type { SampleFilter } from './sample-filter';
import type { TicketPreviews } from './tickets-view';

/** What the editor shows besides the map itself; tab, filter and counts survive a hidden webview. */
export type Filter = 'all' | 'unreviewed' | 'low' | 'conflicts';

export interface Ui {
  state: EditorState | undefined;
  map: MappingFile | undefined;
  tab: string;
  filter: Filter;
  /** The field being edited and the edit so far: kept here so a host message that redraws the page does not reset the form. */
  editing: { object: MappedObject; index: number; draft: FieldEdit } | undefined;
  /** Each field table's single tab stop, so that a redraw (every host message) leaves the keyboard where it was. */
  grid: Partial<Record<MappedObject, GridCursor>>;
  previews: Partial<Record<MappedObject, { records: PreviewRecord[]; error: string | null }>>;
  /** The ticket type attribute being edited or added, kept like `editing` across redraws. */
  editingAttribute: AttributeDraft | undefined;
  /** The ticket types whose attributes the reviewer opened (a redraw would close them). */
  openTicketTypes: Set<string>;
  /** One ticket preview per department asked for, kept across redraws. */
  ticketPreviews: TicketPreviews;
  previewCount: number;
  threshold: number;
  sample: { results: SampleResults | null; error: string | null } | undefined;
  sampleFilter: SampleFilter;
  /** The sample run whose results were last shown (kept across reloads of the webview). */
  seenSampleRun: string | undefined;
  busy: string | null;
  notice: { level: 'info' | 'warning' | 'error'; message: string } | undefined;
}
