/**
 * ISO 8601 durations as approval policies write them (`PT4H`, `P3D`, `P1W`). Years and months
 * have no fixed length, so a policy says them in days; the parts must fit in a few years.
 */

export interface IsoDuration {
  /** As written in the policy, for people to read. */
  iso: string;
  ms: number;
}

export type DurationParse = { ok: true; duration: IsoDuration } | { ok: false; problem: string };

const SHAPE = /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,9})S)?)?$/;

const SECOND = 1000;
const UNIT_MS = { W: 7 * 86_400 * SECOND, D: 86_400 * SECOND, H: 3_600 * SECOND, M: 60 * SECOND, S: SECOND };

export function parseIsoDuration(text: string): DurationParse {
  const parts = SHAPE.exec(text);
  if (!parts || text === 'P' || text.endsWith('T')) {
    return { ok: false, problem: `is "${text}", not an ISO 8601 duration such as PT30M, PT4H, P3D or P1DT12H` };
  }
  const [, years, months, weeks, days, hours, minutes, seconds] = parts;
  if (years || months) {
    return { ok: false, problem: `is "${text}": years and months have no fixed length, so say it in days (P30D) or weeks (P4W)` };
  }
  const n = (value: string | undefined) => (value ? Number(value) : 0);
  const ms = n(weeks) * UNIT_MS.W + n(days) * UNIT_MS.D + n(hours) * UNIT_MS.H + n(minutes) * UNIT_MS.M + n(seconds) * UNIT_MS.S;
  if (ms === 0) return { ok: false, problem: `is "${text}", which is no time at all: give a duration longer than zero` };
  return { ok: true, duration: { iso: text, ms } };
}
