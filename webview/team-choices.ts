// The Teams value map's choices: the connected workspace's teams, so a value is picked, not typed. A
// value no team has (a typo, a team not created yet) stays, named as missing: the run would leave its
// conversations without a team. Free of the DOM, so it is unit-tested.

export interface TeamChoice {
  value: string;
  label: string;
}

/**
 * Choices for one entry: "" (none picked yet) first for a new entry, the current value kept when no
 * team has it. `selected` is the choice the current value stands for (the engine matches names
 * case-insensitively, and ids too).
 */
export function teamChoices(
  teams: readonly { id: string; name: string }[],
  current: string,
): { choices: TeamChoice[]; selected: string; missing: boolean } {
  const choices = [...teams]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({ value: t.name, label: t.name }));
  const team = teams.find((t) => t.name.toLowerCase() === current.toLowerCase() || t.id === current);
  if (current === '') choices.unshift({ value: '', label: 'Choose a team…' });
  else if (!team) choices.unshift({ value: current, label: `${current} (no such team in Intercom)` });
  return { choices, selected: team?.name ?? current, missing: current !== '' && !team };
}
