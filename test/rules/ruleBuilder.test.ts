import { validateRule } from '../../src/rules';
import { buildRule } from '../../src/rules/ruleBuilder';

describe('the form rule builder', () => {
  it('joins rows in the order shown, quoting and escaping values, and makes valid rules', () => {
    const built = buildRule('user', [
      { property: 'user.department', operator: 'eq', value: 'R"D' },
      { join: 'and', property: 'user.accountEnabled', operator: 'eq', value: 'True' },
      { join: 'or', property: 'user.city', operator: 'in', value: 'Paris, Oslo' },
    ]);
    expect(built).toEqual({
      ok: true,
      rule: '(user.department -eq "R`"D" -and user.accountEnabled -eq true) -or user.city -in ["Paris", "Oslo"]',
    });
    expect(built.ok && validateRule(built.rule).valid).toBe(true);
  });

  it('tests collections item by item: any item for a positive test, every item for a negative one', () => {
    expect(buildRule('device', [{ property: 'device.devicePhysicalIds', operator: 'startsWith', value: '[ZTDId]' }])).toEqual({
      ok: true,
      rule: 'device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")',
    });
    expect(buildRule('device', [{ property: 'device.devicePhysicalIds', operator: 'notStartsWith', value: '[ZTDId]' }])).toEqual({
      ok: true,
      rule: 'device.devicePhysicalIds -all (_ -notStartsWith "[ZTDId]")',
    });
  });

  it('names the row that needs attention', () => {
    expect(buildRule('user', [{ property: 'user.accountEnabled', operator: 'eq', value: 'yes' }])).toEqual({
      ok: false,
      problem: 'Row 1: user.accountEnabled is true or false.',
    });
    expect(
      buildRule('user', [
        { property: 'user.city', operator: 'eq', value: 'Oslo' },
        { join: 'and', property: 'device.deviceModel', operator: 'eq', value: 'x' },
      ]),
    ).toEqual({
      ok: false,
      problem: 'Row 2: choose a user property.',
    });
    expect(buildRule('user', [])).toEqual({ ok: false, problem: 'Choose a property, an operator and a value in the first row.' });
  });
});
