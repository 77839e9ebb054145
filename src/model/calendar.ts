/**
 * Whether date and time fields name a moment that exists. Date.UTC rolls impossible values over
 * (February 30 becomes March 2, hour 25 the next day), which would move a record in time without a
 * word; readers check first and report the value instead. Returns what is wrong, or null.
 */
export function impossibleDateParts(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): string | null {
  const wrong: string[] = [];
  if (month < 1 || month > 12) wrong.push(`month ${month}`);
  else {
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > days) wrong.push(`day ${day} of a month with ${days} days`);
  }
  if (hour > 23) wrong.push(`hour ${hour}`);
  if (minute > 59) wrong.push(`minute ${minute}`);
  if (second > 59) wrong.push(`second ${second}`);
  return wrong.length ? wrong.join(', ') : null;
}
