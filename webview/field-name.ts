import { sourceFieldName } from '../src/model/source-field-name';
import { h } from './dom';

/** A source field as a reviewer reads it ("Brand name"), with the property mapping.json names (`brandName`) under it. */
export function fieldNameNodes(source: string, label?: string | null): HTMLElement[] {
  const name = sourceFieldName(source, label);
  return [
    h('div', { class: 'field-label' }, name),
    ...(name === source ? [] : [h('div', { class: 'muted mono' }, source)]),
  ];
}
