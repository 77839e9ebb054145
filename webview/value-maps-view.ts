import type { MappingFile } from '../src/model/mapping';
import type { GlobalValueMap, WebviewMessage } from '../src/model/mapping-editor-messages';
import { button, h, select, textfield } from './dom';

type MapName = GlobalValueMap['map'];

const CHOICES: Record<MapName, { value: string; label: string }[] | undefined> = {
  ticketStatus: [{ value: 'open', label: 'open' }, { value: 'closed', label: 'closed' }, { value: 'snoozed', label: 'snoozed' }],
  priority: [{ value: 'priority', label: 'priority' }, { value: 'not_priority', label: 'not priority' }],
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

/** The map-wide value maps, one table each, edited entry by entry. */
export function valueMapsView(file: MappingFile, send: (m: WebviewMessage) => void): HTMLElement {
  const out = h('section', { class: 'value-maps' });
  for (const name of Object.keys(TITLES) as MapName[]) {
    const values = file.valueMaps[name] as Record<string, string>;
    const choices = CHOICES[name];
    const editor = (key: string, value: string, onChange: (v: string) => void, on: 'input' | 'change') =>
      choices ? select(`${TITLES[name]}: ${key || 'new entry'}`, choices, value, onChange) : textfield(`${TITLES[name]}: ${key || 'new entry'}`, value, onChange, { placeholder: 'team name or id' }, on);
    const rows = Object.entries(values).map(([key, value]) =>
      h('tr', {},
        h('td', {}, key),
        h('td', {}, editor(key, value, (v) => v.trim() && send({ type: 'setValueMap', entry: entry(name, key, v.trim()) }), 'change')),
        h('td', {}, button('Remove', () => send({ type: 'setValueMap', entry: entry(name, key, null) }), { secondary: true })),
      ));
    let newKey = '';
    let newValue = choices?.[0]?.value ?? '';
    rows.push(h('tr', { class: 'new-entry' },
      h('td', {}, textfield(`${TITLES[name]}: new source value`, '', (v) => (newKey = v.trim()), { placeholder: name === 'teams' ? 'department:3 or group:3:7' : 'source value' })),
      h('td', {}, editor('', newValue, (v) => (newValue = v.trim()), 'input')),
      h('td', {}, button('Add', () => newKey && newValue && send({ type: 'setValueMap', entry: entry(name, newKey, newValue) }))),
    ));
    out.appendChild(h('table', { class: 'value-map', 'aria-label': TITLES[name] },
      h('caption', {}, TITLES[name]),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Source value'), h('th', { scope: 'col' }, 'Intercom value'), h('th', { scope: 'col' }, ''))),
      h('tbody', {}, ...rows),
    ));
  }
  return out;
}
