import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRule, type RuleKind, validateRule } from '../../src/rules';
import { withoutPositions } from './withoutPositions';

interface DocumentedRule {
  source: string;
  kind: RuleKind;
  rule: string;
  formatted: string;
}

const corpus: { rules: DocumentedRule[] } = JSON.parse(readFileSync(join(__dirname, '../fixtures/rules/documented-rules.json'), 'utf8'));

describe("Microsoft's documented example rules", () => {
  it.each(corpus.rules.map((r) => [r.rule, r] as const))('accepts %s', (_, documented) => {
    const validation = validateRule(documented.rule);
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(validation.kind).toBe(documented.kind);
    expect(validation.formatted).toBe(documented.formatted);
  });

  it.each(corpus.rules.map((r) => [r.formatted, r] as const))('reads its canonical text %s back to the same rule', (_, documented) => {
    const validation = validateRule(documented.rule, documented.kind);
    const again = validateRule(documented.formatted, documented.kind);
    expect(again.formatted).toBe(documented.formatted);
    expect(withoutPositions(parseRule(documented.formatted))).toEqual(withoutPositions(validation.ast));
  });

  it('reads the kind given rather than guessing it', () => {
    expect(validateRule('device.deviceModel -eq "iPad Air"', 'user').valid).toBe(false);
    expect(validateRule('device.deviceModel -eq "iPad Air"', 'device').valid).toBe(true);
  });

  it('quotes numbers compared with text, and unquotes booleans, in the canonical text', () => {
    expect(validateRule('user.department -in [50001, "50002"]').formatted).toBe('user.department -in ["50001", "50002"]');
    expect(validateRule('user.accountEnabled -eq "TRUE"').formatted).toBe('user.accountEnabled -eq true');
  });

  it('reads operators in any letter case, with or without their dash', () => {
    const canonical = 'user.department -notIn ["a", "b"] -and user.city -startsWith "L"';
    for (const written of [
      'user.department -NOTIN ["a","b"] -AND user.city -STARTSWITH "L"',
      "user.department notin ['a', 'b'] and user.city startswith \"L\"",
      'user.department \u2013notIn ["a", "b"] \u2013and user.city \u2013startsWith "L"',
    ]) {
      expect(validateRule(written).formatted).toBe(canonical);
    }
  });
});
