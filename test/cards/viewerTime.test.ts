import { shownTime, viewerClock } from '../../src/cards/viewerTime';

describe('times shown to one viewer', () => {
  it('adds the local time in the zone and locale their Teams client reports, next to UTC', () => {
    const berlin = viewerClock('Europe/Berlin', 'en-GB');
    expect(shownTime('2026-11-25T18:05:00.000Z', berlin)).toBe('2026-11-25 18:05 UTC (25 Nov 2026, 19:05 Europe/Berlin)');
    // Summer time is the zone's own business: July in Berlin is UTC+2.
    expect(shownTime('2026-07-01T23:30:00.000Z', berlin)).toBe('2026-07-01 23:30 UTC (2 Jul 2026, 01:30 Europe/Berlin)');
    expect(shownTime('2026-11-25T18:05:00.000Z', viewerClock('Asia/Kolkata', 'en-US'))).toMatch(
      /^2026-11-25 18:05 UTC \(Nov 25, 2026, 11:35\sPM Asia\/Kolkata\)$/,
    );
  });

  it('shows UTC alone when the zone is missing, UTC itself, or not an IANA zone', () => {
    for (const zone of [
      undefined,
      '',
      'UTC',
      'Etc/UTC',
      'Mars/Olympus_Mons',
      '../../etc/passwd',
      'Europe/Berlin; rm -rf',
      'x'.repeat(500),
    ]) {
      expect([zone, shownTime('2026-11-25T18:05:00.000Z', viewerClock(zone, 'en-US'))]).toEqual([zone, '2026-11-25 18:05 UTC']);
    }
  });

  it('falls back to US English for a locale that is not one', () => {
    expect(viewerClock('America/New_York', 'not a locale!')).toEqual({ timeZone: 'America/New_York', locale: 'en-US' });
    expect(viewerClock('America/New_York', undefined)).toEqual({ timeZone: 'America/New_York', locale: 'en-US' });
  });
});
