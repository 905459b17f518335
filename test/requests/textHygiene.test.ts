import { hiddenCharacterProblem, isBlank, lookalikeKey, searchableName } from '../../src/requests/textHygiene';

describe('text people cannot see', () => {
  it('finds control characters, DEL, direction controls and broken pairs, saying where', () => {
    expect(hiddenCharacterProblem('ab\u0000c', false)).toBe('This contains a control character (U+0000) at character 3: remove it.');
    expect(hiddenCharacterProblem('\u007F', false)).toMatch(/U\+007F/);
    for (const bidi of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(hiddenCharacterProblem(`x${bidi}y`, false)).toMatch(/text-direction control/);
    }
    expect(hiddenCharacterProblem('a\uD800', false)).toMatch(/broken character/);
    expect(hiddenCharacterProblem('\uDC00a', false)).toMatch(/broken character/);
    expect(hiddenCharacterProblem('emoji 😀 is a whole pair', false)).toBeUndefined();
  });

  it('lets multi-line fields keep line breaks and tabs, and not names', () => {
    expect(hiddenCharacterProblem('a\r\n\tb', false)).toBeUndefined();
    expect(hiddenCharacterProblem('a\tb', true)).toMatch(/line break or tab/);
  });

  it('counts text of zero-width characters, BOM, soft hyphens and fillers as blank', () => {
    expect(isBlank('\u200B\u200C\u200D\u2060\uFEFF\u00AD\u3164\u2800 \u00A0')).toBe(true);
    expect(isBlank('\u200Bx')).toBe(false);
  });

  it('reads names as a person does: widths, invisible characters, spaces and case set aside', () => {
    const key = lookalikeKey('Group Request Approvers');
    expect(lookalikeKey('Group Request Approvers\u200B')).toBe(key);
    expect(lookalikeKey('ＧＲＯＵＰ  request\u00A0approvers')).toBe(key);
    expect(lookalikeKey('Group Request Approver')).not.toBe(key);
    expect(searchableName(' ＧＲＯＵＰ\u200B Request ')).toBe('GROUP Request');
  });
});
