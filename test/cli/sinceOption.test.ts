import { readSince } from '../../src/cli/sinceOption';
import { UsageError } from '../../src/cli/usageError';

describe('--since', () => {
  test.each([
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T09:30', '2026-01-31T09:30:00.000Z'],
    ['2026-01-31T09:30:15Z', '2026-01-31T09:30:15.000Z'],
    ['2026-01-31T09:30:15.1234Z', '2026-01-31T09:30:15.123Z'],
    ['2026-01-31T09:30:00+02:00', '2026-01-31T07:30:00.000Z'],
    ['2026-01-01T00:30:00-01:00', '2026-01-01T01:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('%s is read as %s, the form creation times are stored in', (value, iso) => {
    expect(readSince(value)).toBe(iso);
  });

  test.each([
    '',
    'yesterday',
    '2026-1-31',
    '31/01/2026',
    '2026-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-01-31T24:00',
    '2026-01-31 09:30',
    '2026-01-31T09:30+25:00',
  ])('%j is refused, quoting what was typed', (value) => {
    expect(() => readSince(value)).toThrow(UsageError);
    expect(() => readSince(value)).toThrow(`not "${value}"`);
  });
});
