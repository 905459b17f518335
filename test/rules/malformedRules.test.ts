import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_RULE_LENGTH, type RuleKind, validateRule } from '../../src/rules';

interface MalformedRule {
  source?: string;
  kind?: RuleKind;
  /** The rule with the expected error's extent between « and ». */
  rule: string;
  message: string;
  suggestion?: string;
}

const corpus: { rules: MalformedRule[] } = JSON.parse(readFileSync(join(__dirname, '../fixtures/rules/malformed-rules.json'), 'utf8'));

function unmark(marked: string): { text: string; offset: number; length: number } {
  const offset = marked.indexOf('«');
  const close = marked.indexOf('»');
  if (offset < 0 || close < offset) throw new Error(`No «…» in ${marked}`);
  return { text: marked.replace('«', '').replace('»', ''), offset, length: close - offset - 1 };
}

describe('malformed rules', () => {
  it.each(corpus.rules.map((r) => [r.rule, r] as const))('refuses %s, pointing at the marked text', (_, malformed) => {
    const { text, offset, length } = unmark(malformed.rule);
    const validation = validateRule(text, malformed.kind);
    expect(validation.valid).toBe(false);
    expect(validation.formatted).toBeUndefined();
    const [first] = validation.errors;
    expect(first).toMatchObject({ offset, length });
    expect(first.message).toContain(malformed.message);
    if (malformed.suggestion !== undefined) expect(first.suggestion).toBe(malformed.suggestion);
  });

  it('refuses a rule longer than 3,072 characters, underlining what is beyond the limit', () => {
    const condition = 'user.department -eq "Sales"';
    const parts: string[] = [];
    while (parts.join(' -or ').length <= MAX_RULE_LENGTH) parts.push(condition);
    const rule = parts.join(' -or ');
    const validation = validateRule(rule);
    expect(validation.valid).toBe(false);
    expect(validation.errors).toEqual([
      { message: expect.stringContaining('at most 3,072'), offset: MAX_RULE_LENGTH, length: rule.length - MAX_RULE_LENGTH },
    ]);
    expect(validateRule(rule.slice(0, rule.lastIndexOf(' -or '))).valid).toBe(rule.lastIndexOf(' -or ') <= MAX_RULE_LENGTH);
  });

  it('accepts a rule of exactly 3,072 characters', () => {
    const prefix = 'user.department -eq "';
    const rule = `${prefix}${'x'.repeat(MAX_RULE_LENGTH - prefix.length - 1)}"`;
    expect(rule).toHaveLength(MAX_RULE_LENGTH);
    expect(validateRule(rule).valid).toBe(true);
  });

  it('reports every problem of a rule that parses, in text order', () => {
    const rule = 'user.departmnt -eq "a" -and user.accountEnabled -eq "yes" -and device.deviceModel -eq "b"';
    const validation = validateRule(rule);
    expect(validation.errors.map((e) => rule.slice(e.offset, e.offset + e.length))).toEqual([
      'user.departmnt',
      '"yes"',
      'device.deviceModel',
    ]);
  });

  it('refuses a memberOf rule naming more than 50 groups', () => {
    const ids = Array.from({ length: 51 }, (_, i) => `'aaaaaaaa-0000-1111-2222-${String(i).padStart(12, '0')}'`);
    const validation = validateRule(`user.memberOf -any (group.objectId -in [${ids.join(', ')}])`);
    expect(validation.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('at most 50 groups') })]);
  });
});
