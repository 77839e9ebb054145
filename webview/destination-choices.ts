// The choices of where a department's tickets land: a conversation, or one of the map's ticket types.
// Free of the DOM, so it is unit-tested.
import type { TicketDestination } from '../src/model/mapping';

const TYPE_PREFIX = 'type:';

export function destinationChoices(
  typeNames: readonly string[],
  current: TicketDestination,
): { choices: { value: string; label: string }[]; selected: string } {
  const choices = [
    { value: 'conversation', label: 'Conversation' },
    ...typeNames.map((name) => ({ value: `${TYPE_PREFIX}${name}`, label: `Ticket: ${name}` })),
  ];
  const selected = current === 'conversation' ? 'conversation' : `${TYPE_PREFIX}${current.ticketType}`;
  // A type the map no longer defines stays visible, so the select never shows another choice than the file's.
  if (!choices.some((c) => c.value === selected))
    choices.push({ value: selected, label: `Ticket: ${selected.slice(TYPE_PREFIX.length)} (not defined)` });
  return { choices, selected };
}

export function destinationOfChoice(value: string): TicketDestination {
  return value.startsWith(TYPE_PREFIX) ? { ticketType: value.slice(TYPE_PREFIX.length) } : 'conversation';
}
