import fc from 'fast-check';
import { MAX_RULE_LENGTH, validateRule } from '../../src/rules';
import { MAX_NESTING } from '../../src/rules/parser';

const CONDITION = 'user.department -eq "Sales"';

function nestedInParentheses(depth: number): string {
  return `${'('.repeat(depth)}${CONDITION}${')'.repeat(depth)}`;
}

describe('rules of any size or depth get an answer, never an exception', () => {
  it('refuses a rule over 3,072 characters with its length alone, without reading it', () => {
    const deep = nestedInParentheses(100_000);
    const validation = validateRule(deep);
    expect(validation).toEqual({
      valid: false,
      kind: 'user',
      errors: [
        {
          message: expect.stringMatching(/^The rule is 200,027 characters long; Entra allows at most 3,072\./),
          offset: MAX_RULE_LENGTH,
          length: deep.length - MAX_RULE_LENGTH,
        },
      ],
    });
    expect(validateRule(`${'-not '.repeat(20_000)}${CONDITION}`).errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('at most 3,072') }),
    ]);
  });

  it('keeps the kind the rule starts with when it is too long', () => {
    expect(validateRule(`(device.deviceModel -eq "x")${' '.repeat(MAX_RULE_LENGTH)}`).kind).toBe('device');
  });

  it('accepts conditions nested as deep as the limit and refuses one level more, pointing at the opener', () => {
    expect(validateRule(nestedInParentheses(MAX_NESTING)).valid).toBe(true);
    const rule = nestedInParentheses(MAX_NESTING + 1);
    const validation = validateRule(rule);
    expect(validation.valid).toBe(false);
    expect(validation.errors).toEqual([
      { message: expect.stringContaining(`nested more than ${MAX_NESTING} levels deep`), offset: MAX_NESTING, length: 1 },
    ]);
  });

  it('counts -not, parentheses and -any conditions alike', () => {
    expect(
      validateRule(`user.proxyAddresses -any ${nestedInParentheses(MAX_NESTING).replace(CONDITION, '_ -startsWith "smtp:"')}`).valid,
    ).toBe(true);
    expect(validateRule(`${'-not '.repeat(MAX_NESTING)}${CONDITION}`).valid).toBe(true);
    const nots = validateRule(`${'-not '.repeat(MAX_NESTING + 1)}${CONDITION}`);
    expect(nots.errors[0].message).toContain('nested more than');
    const inAny = `user.proxyAddresses -any ${nestedInParentheses(MAX_NESTING + 1).replace(CONDITION, '_ -startsWith "smtp:"')}`;
    expect(validateRule(inAny).errors[0].message).toContain('nested more than');
  });

  it('answers for the deepest nesting that fits in 3,072 characters', () => {
    const depth = Math.floor((MAX_RULE_LENGTH - CONDITION.length) / 2);
    for (const rule of [
      nestedInParentheses(depth),
      `${'-not '.repeat(600)}${CONDITION}`,
      '('.repeat(MAX_RULE_LENGTH),
      `${'-not ('.repeat(500)}`,
    ]) {
      expect(rule.length).toBeLessThanOrEqual(MAX_RULE_LENGTH);
      const validation = validateRule(rule);
      expect(validation.valid).toBe(false);
      expect(validation.errors.length).toBeGreaterThan(0);
    }
  });

  /** Pieces of rule syntax, so random text often nests, opens strings and lists, and chains operators. */
  const piece = fc.oneof(
    fc.constantFrom(
      '(',
      ')',
      '[',
      ']',
      ',',
      '"',
      "'",
      '`',
      '-not ',
      ' -and ',
      ' -or ',
      '-any ',
      '-all ',
      ' -match ',
      '_',
      CONDITION,
      'user.proxyAddresses -any (',
      'device.',
      ' ',
      '\u2013',
    ),
    fc.string({ maxLength: 20 }),
  );
  const hostileText = fc.oneof(
    fc.string({ maxLength: 10_000 }),
    fc.array(piece, { maxLength: 2_000 }).map((pieces) => pieces.join('').slice(0, 10_000)),
  );

  it('answers any text up to 10,000 characters with valid or errors, and never throws', () => {
    fc.assert(
      fc.property(hostileText, fc.constantFrom(undefined, 'user' as const, 'device' as const), (text, kind) => {
        const validation = validateRule(text, kind);
        expect(validation.valid === (validation.errors.length === 0)).toBe(true);
        for (const error of validation.errors) {
          expect(error.message.length).toBeGreaterThan(0);
          expect(error.offset).toBeGreaterThanOrEqual(0);
          expect(error.offset + error.length).toBeLessThanOrEqual(Math.max(text.length, MAX_RULE_LENGTH));
        }
      }),
      { numRuns: 300 },
    );
  });
});
