import { countsOfListed, headlineFigures } from '../src/model/run-figures';
import { SAMPLE_RESULTS_CAP, SampleObject, type SampleResults } from '../src/model/sample-results';
import { button, h, select } from './dom';
import { longText } from './long-text';
import { filterSampleItems, objectCounts, pageOf, type SampleFilter } from './sample-filter';

const OBJECT_NAMES: Record<SampleObject, string> = {
  tickets: 'Tickets',
  liveChats: 'Live chats',
  callLogs: 'Call logs',
  endUsers: 'End users',
  organizations: 'Organizations',
};

type Item = SampleResults['items'][number];

function facts(list: readonly { label: string; value: string }[]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...list.flatMap((f) => [h('dt', {}, f.label), h('dd', {}, ...longText(f.value === '' ? '—' : f.value))]),
  );
}

function intercomCell(item: Item, open: (url: string) => void): HTMLElement {
  if (!item.intercom) {
    return h(
      'td',
      { class: item.state },
      item.state === 'migrated' ? 'migrated' : `${item.state}: ${item.reason ?? ''}`,
      item.error
        ? h('div', { class: 'error' }, item.error.field ? `${item.error.field}: ` : '', item.error.message)
        : null,
    );
  }
  const link = item.intercom.url;
  return h(
    'td',
    { class: item.state },
    link
      ? h(
          'a',
          {
            href: link,
            'data-role': 'intercom-link',
            onclick: (e: Event) => {
              e.preventDefault();
              open(link);
            },
          },
          `${item.intercom.kind} ${item.intercom.id}`,
        )
      : h('span', {}, `${item.intercom.kind} ${item.intercom.id}`),
    facts(item.intercom.fields),
  );
}

/** The sample run as Intercom holds it, beside the source records it came from. */
export function sampleResultsView(
  sample: { results: SampleResults | null; error: string | null } | undefined,
  filter: SampleFilter,
  load: () => void,
  open: (url: string) => void,
  render: () => void,
): HTMLElement {
  const out = h(
    'section',
    { class: 'sample-results', 'aria-label': 'Sample results' },
    h(
      'div',
      { class: 'table-toolbar' },
      button(sample ? 'Read Again' : 'Show the Latest Sample', load, { 'data-role': 'load-sample' }),
      h('span', { class: 'muted' }, 'each source record beside what the sample run made of it in Intercom'),
    ),
  );
  if (!sample) return out;
  if (sample.error) out.appendChild(h('p', { class: 'notice info', role: 'status' }, sample.error));
  const results = sample.results;
  if (!results) return out;
  // Counted with the notification's words, so the two figures read alike (src/model/run-figures.ts).
  const counts = countsOfListed(results.items);
  const mismatched = results.items.filter((item) => item.mismatches.length > 0).length;
  const capped = results.items.length >= SAMPLE_RESULTS_CAP ? ` (the first ${SAMPLE_RESULTS_CAP} records)` : '';
  out.appendChild(
    h(
      'p',
      { 'data-role': 'sample-summary' },
      `Run ${results.runId} (${results.runStatus}): ${headlineFigures(counts) || 'no conversations, contacts or companies'}${capped}; `,
      mismatched
        ? h('strong', { class: 'warning' }, `${mismatched} record(s) differ from the map`)
        : 'every record read back as the map says',
    ),
  );
  // "Differences: none" compares with the map; these hold for every conversation all the same.
  if (results.attention.length) {
    out.appendChild(
      h(
        'div',
        { class: 'notice warning', role: 'status', 'data-role': 'sample-attention' },
        h('strong', {}, 'To act on in Intercom: '),
        h('ul', {}, ...results.attention.map((t) => h('li', {}, t))),
      ),
    );
  }
  // 150 records with their facts make a page tens of thousands of pixels long: filtered and paged instead.
  const listed = filterSampleItems(results.items, filter);
  const page = pageOf(listed, filter.page);
  filter.page = page.page;
  const objects = objectCounts(results.items);
  out.appendChild(
    h(
      'div',
      { class: 'table-toolbar', 'data-role': 'sample-filter' },
      select(
        'Object type',
        [
          { value: 'all', label: `All objects (${results.items.length})` },
          ...objects.map((o) => ({ value: o.object, label: `${OBJECT_NAMES[o.object]} (${o.count})` })),
        ],
        filter.object,
        (v) => {
          const object = SampleObject.safeParse(v);
          filter.object = object.success ? object.data : 'all';
          filter.page = 0;
          render();
        },
        { 'data-role': 'sample-object' },
      ),
      h(
        'vscode-checkbox',
        {
          checked: filter.differencesOnly,
          'data-role': 'sample-differences',
          onchange: (e: Event) => {
            filter.differencesOnly = (e.target as HTMLInputElement).checked;
            filter.page = 0;
            render();
          },
        },
        `Differences only (${mismatched})`,
      ),
      h(
        'span',
        { class: 'muted', 'data-role': 'sample-range', role: 'status' },
        listed.length === 0
          ? 'no record matches'
          : `records ${page.first + 1}–${page.first + page.items.length} of ${listed.length}`,
      ),
      page.pages > 1
        ? pager(page.page, page.pages, (to) => {
            filter.page = to;
            render();
          })
        : null,
    ),
  );
  out.appendChild(
    h(
      'table',
      { class: 'sample', 'aria-label': 'Sample results' },
      h(
        'thead',
        {},
        h('tr', {}, ...['Object', 'SmarterTrack', 'Intercom', 'Differences'].map((t) => h('th', { scope: 'col' }, t))),
      ),
      h(
        'tbody',
        {},
        ...page.items.map((item) =>
          h(
            'tr',
            { class: item.mismatches.length ? 'mismatch' : '', 'data-source-id': `${item.object}:${item.sourceId}` },
            h('td', {}, item.object, h('div', { class: 'muted mono' }, `#${item.sourceId}`)),
            h('td', {}, h('div', { class: 'field-label' }, item.source.title), facts(item.source.fields)),
            intercomCell(item, open),
            h(
              'td',
              {},
              item.mismatches.length === 0
                ? h('span', { class: 'ok' }, item.state === 'migrated' ? 'none' : '—')
                : h(
                    'ul',
                    { class: 'issues' },
                    ...item.mismatches.map((m) =>
                      h('li', { class: 'error' }, `${m.field}: expected ${m.expected}, Intercom has ${m.actual}`),
                    ),
                  ),
            ),
          ),
        ),
      ),
    ),
  );
  if (page.pages > 1)
    out.appendChild(
      h(
        'div',
        { class: 'table-toolbar' },
        pager(page.page, page.pages, (to) => {
          filter.page = to;
          render();
        }),
      ),
    );
  return out;
}

function pager(page: number, pages: number, go: (page: number) => void): HTMLElement {
  return h(
    'span',
    { class: 'pager' },
    button('Previous', () => go(page - 1), { secondary: true, disabled: page === 0, 'data-role': 'sample-previous' }),
    h('span', {}, ` page ${page + 1} of ${pages} `),
    button('Next', () => go(page + 1), { secondary: true, disabled: page === pages - 1, 'data-role': 'sample-next' }),
  );
}
