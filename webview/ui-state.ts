import type { MappedObject, MappingFile } from '../src/model/mapping';
import type { EditorState, PreviewRecord } from '../src/model/mapping-editor-messages';
import type { SampleResults } from '../src/model/sample-results';

/** What the editor shows besides the map itself; tab, filter and counts survive a hidden webview. */
export type Filter = 'all' | 'unreviewed' | 'low' | 'conflicts';

export interface Ui {
  state: EditorState | undefined;
  map: MappingFile | undefined;
  tab: string;
  filter: Filter;
  editing: { object: MappedObject; index: number } | undefined;
  previews: Partial<Record<MappedObject, { records: PreviewRecord[]; error: string | null }>>;
  previewCount: number;
  threshold: number;
  sample: { results: SampleResults | null; error: string | null } | undefined;
  /** The sample run whose results were last shown (kept across reloads of the webview). */
  seenSampleRun: string | undefined;
  busy: string | null;
  notice: { level: 'info' | 'error'; message: string } | undefined;
}
