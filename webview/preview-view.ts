import type { MappedObject } from '../src/model/mapping';
import type { PreviewRecord } from '../src/model/mapping-editor-messages';
import { button, h, textfield, valueText } from './dom';
import { fieldNameNodes } from './field-name';
import { longText } from './long-text';
import { recordCaptionText } from './record-caption';

/** N sample records side by side: source value → mapped value → validation result. */
export function previewView(
  object: MappedObject,
  preview: { records: PreviewRecord[]; error: string | null } | undefined,
  count: number,
  load: (count: number) => void,
): HTMLElement {
  let wanted = count;
  const out = h(
    'section',
    { class: 'preview', 'aria-label': 'Preview on source records' },
    h('h3', {}, 'Preview on source records'),
    h(
      'div',
      { class: 'table-toolbar' },
      textfield(
        'Records to preview',
        String(count),
        (v) => {
          const n = Number.parseInt(v, 10);
          if (Number.isFinite(n)) wanted = Math.min(50, Math.max(1, n));
        },
        { type: 'number', class: 'narrow' },
      ),
      button(preview ? 'Read Again' : 'Preview', () => load(wanted), {
        'data-role': 'preview',
        'data-focus': `preview:${object}`,
      }),
      h('span', { class: 'muted' }, 'records are read from SmarterTrack; values at 90% of a limit are highlighted'),
    ),
  );
  if (!preview) return out;
  if (preview.error) {
    out.appendChild(h('p', { class: 'notice error', role: 'alert' }, preview.error));
    return out;
  }
  if (preview.records.length === 0)
    out.appendChild(h('p', { class: 'muted' }, 'The source has no record of this kind.'));
  for (const record of preview.records) {
    // The record as a reviewer knows it in SmarterTrack (and as the sample results name it), not its row id.
    const caption = recordCaptionText(record);
    out.appendChild(
      h(
        'table',
        { class: `preview-record ${record.ok ? 'ok' : 'failing'}`, 'aria-label': caption },
        h('caption', { 'data-role': 'record-caption' }, caption, record.ok ? '' : ' — would fail'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Field', 'Source value', 'Mapped value', 'Target', 'Result'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h(
          'tbody',
          {},
          ...record.fields.map((f) =>
            h(
              'tr',
              { class: f.nearLimit ? 'near-limit' : '' },
              h('td', {}, ...fieldNameNodes(f.source, f.label)),
              h('td', { class: 'value' }, ...longText(valueText(f.raw))),
              h('td', { class: 'value' }, ...longText(valueText(f.mapped))),
              h('td', {}, f.target),
              h(
                'td',
                {},
                f.issues.length === 0
                  ? f.nearLimit
                    ? h('span', { class: 'warning' }, 'near the limit')
                    : h('span', { class: 'ok' }, 'ok')
                  : h('ul', { class: 'issues' }, ...f.issues.map((i) => h('li', { class: i.severity }, i.message))),
              ),
            ),
          ),
        ),
      ),
    );
  }
  return out;
}
