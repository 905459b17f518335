import fc from 'fast-check';
import { formatRule, parseRule, validateRule } from '../../src/rules';
import { ruleKind, validRule } from './ruleArbitraries';
import { withoutPositions } from './withoutPositions';

describe('formatter round trip', () => {
  it('parses the formatted text of any valid rule back to the same tree, which is valid and formats the same', () => {
    fc.assert(
      fc.property(
        ruleKind.chain((kind) => validRule(kind).map((rule) => ({ kind, rule }))),
        ({ kind, rule }) => {
          const text = formatRule(rule);
          expect(withoutPositions(parseRule(text))).toEqual(withoutPositions(rule));
          const validation = validateRule(text, kind);
          expect(validation.errors).toEqual([]);
          expect(validation.formatted).toBe(text);
        },
      ),
      { numRuns: 1500 },
    );
  });

  const fragments = fc.constantFrom(
    'user.department',
    'user.proxyAddresses',
    'device.deviceOSType',
    'user.employeeHireDate',
    'user.accountEnabled',
    'user.assignedPlans',
    'assignedPlan.service',
    '_',
    '-eq',
    '-NE',
    'startswith',
    '–contains',
    '-match',
    '-in',
    '-le',
    '-any',
    '-all',
    '-and',
    'or',
    '-not',
    '(',
    ')',
    '[',
    ']',
    ',',
    '"Sales"',
    '"a`"b"',
    "'x''y'",
    '"^S.*"',
    'true',
    'null',
    '42',
    '2020-06-10T18:13:20Z',
    'system.now',
    '-plus',
    'p1d',
    '"',
    "'",
  );

  it('never throws on text made of rule fragments, and whatever it accepts formats to a fixed point', () => {
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 14 }), fc.constantFrom(' ', '', '  \n'), (parts, separator) => {
        const text = parts.join(separator);
        const validation = validateRule(text);
        for (const error of validation.errors) {
          expect(error.offset).toBeGreaterThanOrEqual(0);
          expect(error.offset + error.length).toBeLessThanOrEqual(text.length);
          expect(error.message.length).toBeGreaterThan(0);
        }
        if (!validation.valid) return;
        const formatted = validation.formatted as string;
        expect(withoutPositions(parseRule(formatted))).toEqual(withoutPositions(validation.ast));
        expect(validateRule(formatted).formatted).toBe(formatted);
      }),
      { numRuns: 4000 },
    );
  });
});
