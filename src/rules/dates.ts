/** Dates and ISO 8601 durations as rules write them: `2020-06-10T18:13:20Z`, `system.now -plus p1d`. */

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Milliseconds since the epoch, or undefined when the text is not an ISO 8601 date or date-time
 * that exists on the calendar. A time without an offset is read as UTC, as Entra stores dates.
 */
export function parseDateTime(text: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, date, time, zone] = match;
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${date}T${time ?? '00:00'}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2021-02-30 over into March; such a date is a typo, not a date.
  const [year, month, day] = date.split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day ? ms : undefined;
}

/** A date value a rule compares with: Graph gives ISO strings. */
export function dateTimeOf(value: unknown): number | undefined {
  return typeof value === 'string' ? parseDateTime(value) : undefined;
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** `base` moved by an ISO 8601 duration (`p1d`, `P1Y2M`, `pt12h`), forwards or backwards. */
export function shiftByDuration(base: number, duration: string, direction: 'plus' | 'minus'): number {
  const match = DURATION.exec(duration);
  if (!match) throw new RangeError(`Not an ISO 8601 duration: ${duration}`);
  const sign = direction === 'plus' ? 1 : -1;
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(base);
  date.setUTCFullYear(date.getUTCFullYear() + sign * years, date.getUTCMonth() + sign * months);
  const fixed = (weeks * 7 * 86400 + days * 86400 + hours * 3600 + minutes * 60 + seconds) * 1000;
  return date.getTime() + sign * fixed;
}
