import type { MappingFile } from '../src/model/mapping';
import type { GlobalValueMap, WebviewMessage } from '../src/model/mapping-editor-messages';
import { button, h, select, textfield } from './dom';
import { teamChoices } from './team-choices';

type MapName = GlobalValueMap['map'];

const CHOICES: Record<MapName, { value: string; label: string }[] | undefined> = {
  ticketStatus: [
    { value: 'open', label: 'open' },
    { value: 'closed', label: 'closed' },
    { value: 'snoozed', label: 'snoozed' },
  ],
  priority: [
    { value: 'priority', label: 'priority' },
    { value: 'not_priority', label: 'not priority' },
  ],
  teams: undefined,
};

const TITLES: Record<MapName, string> = {
  ticketStatus: 'Ticket status → conversation state',
  priority: 'Ticket priority → Intercom priority',
  teams: 'Department or group → Intercom team',
};

function entry(map: MapName, key: string, value: string | null): GlobalValueMap {
  return { map, key, value } as GlobalValueMap;
}

/**
 * The map-wide value maps, one table each, edited entry by entry. With Intercom connected, a team is
 * picked from the workspace's teams (`teams`), and a value no team has is marked as missing.
 */
export function valueMapsView(
  file: MappingFile,
  send: (m: WebviewMessage) => void,
  teams: readonly { id: string; name: string }[] | null = null,
): HTMLElement {
  const out = h('section', { class: 'value-maps' });
  if (!teams)
    out.appendChild(
      h(
        'p',
        { class: 'muted' },
        'Connect Intercom to pick teams from the workspace; until then a team is typed by name or id.',
      ),
    );
  for (const name of Object.keys(TITLES) as MapName[]) {
    const values = file.valueMaps[name] as Record<string, string>;
    const editor = (key: string, value: string, onChange: (v: string) => void, on: 'input' | 'change') => {
      const label = `${TITLES[name]}: ${key || 'new entry'}`;
      const choices = CHOICES[name];
      if (choices) return select(label, choices, value, onChange);
      if (!teams) return textfield(label, value, onChange, { placeholder: 'team name or id' }, on);
      const picked = teamChoices(teams, value);
      return h(
        'span',
        {},
        select(label, picked.choices, picked.selected, onChange, { 'data-role': 'team-picker' }),
        picked.missing
          ? h(
              'span',
              { class: 'warning', role: 'note' },
              ' no such team in Intercom: its conversations stay without a team',
            )
          : null,
      );
    };
    const rows = Object.entries(values).map(([key, value]) =>
      h(
        'tr',
        {},
        h('td', {}, key),
        h(
          'td',
          {},
          editor(
            key,
            value,
            (v) => v.trim() && send({ type: 'setValueMap', entry: entry(name, key, v.trim()) }),
            'change',
          ),
        ),
        h(
          'td',
          {},
          button('Remove', () => send({ type: 'setValueMap', entry: entry(name, key, null) }), { secondary: true }),
        ),
      ),
    );
    let newKey = '';
    let newValue = CHOICES[name]?.[0]?.value ?? '';
    rows.push(
      h(
        'tr',
        { class: 'new-entry' },
        h(
          'td',
          {},
          textfield(`${TITLES[name]}: new source value`, '', (v) => (newKey = v.trim()), {
            placeholder: name === 'teams' ? 'department:3 or group:3:7' : 'source value',
          }),
        ),
        h(
          'td',
          {},
          editor('', newValue, (v) => (newValue = v.trim()), 'input'),
        ),
        h(
          'td',
          {},
          button(
            'Add',
            () => newKey && newValue && send({ type: 'setValueMap', entry: entry(name, newKey, newValue) }),
          ),
        ),
      ),
    );
    out.appendChild(
      h(
        'table',
        { class: 'value-map', 'aria-label': TITLES[name] },
        h('caption', {}, TITLES[name]),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Source value'),
            h('th', { scope: 'col' }, 'Intercom value'),
            h('th', { scope: 'col' }, ''),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    );
  }
  return out;
}
