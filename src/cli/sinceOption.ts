import { UsageError } from './usageError';

/**
 * `--since`: a date (2026-01-31, midnight UTC) or a date and time (2026-01-31T09:30, seconds and
 * fractions optional), in UTC unless it ends with an offset (Z, +02:00). Anything else, a day that
 * does not exist included, is refused rather than read loosely as Date would.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The moment as the store writes creation times (`toISOString`), so the two compare as text. */
export function readSince(value: string): string {
  const parts = DATE_TIME.exec(value.trim());
  const refuse = () => new UsageError(`--since needs a date such as 2026-01-31 or a time such as 2026-01-31T09:30:00Z, not "${value}".`);
  if (!parts) throw refuse();
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = parts;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) throw refuse();
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) throw refuse();
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const moment = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${offset}`);
  if (Number.isNaN(moment.getTime())) throw refuse();
  return moment.toISOString();
}
