import fc from 'fast-check';
import { compileRule } from '../../src/rules';

/**
 * The evaluator against a deliberately plain reference: rules are generated as small specs,
 * printed as rule text by this file, and judged on generated Graph users by straightforward code
 * that follows the documented semantics (case-insensitive text, null, -any/-all, dates).
 */

type TextOperator =
  | 'eq'
  | 'ne'
  | 'startsWith'
  | 'notStartsWith'
  | 'endsWith'
  | 'notEndsWith'
  | 'contains'
  | 'notContains'
  | 'match'
  | 'notMatch'
  | 'in'
  | 'notIn';

type Spec =
  | { kind: 'text'; property: TextProperty; operator: TextOperator; value: string | string[] | null }
  | { kind: 'enabled'; operator: 'eq' | 'ne'; value: boolean | null }
  | { kind: 'hired'; operator: 'eq' | 'ne' | 'le' | 'ge'; value: string | null }
  | { kind: 'proxies'; operator: TextOperator; value: string | string[] }
  | { kind: 'eachProxy'; quantifier: 'any' | 'all'; operator: TextOperator; value: string | string[] }
  | {
      kind: 'eachPlan';
      quantifier: 'any' | 'all';
      field: 'service' | 'capabilityStatus';
      operator: TextOperator;
      value: string | string[] | null;
    }
  | { kind: 'and' | 'or'; left: Spec; right: Spec }
  | { kind: 'not'; operand: Spec };

/** Rule property → where Graph keeps it, written out independently of the implementation. */
const TEXT_PROPERTIES = {
  department: (u: User) => u.department,
  city: (u: User) => u.city,
  mobile: (u: User) => u.mobilePhone,
  extensionAttribute3: (u: User) => u.onPremisesExtensionAttributes?.extensionAttribute3,
} as const;
type TextProperty = keyof typeof TEXT_PROPERTIES;

interface User {
  id: string;
  department?: string | null;
  city?: string | null;
  mobilePhone?: string | null;
  accountEnabled?: boolean | null;
  employeeHireDate?: string | null;
  onPremisesExtensionAttributes?: { extensionAttribute3?: string | null };
  proxyAddresses?: string[];
  assignedPlans?: { service: string; capabilityStatus: string | null; servicePlanId: string }[];
}

const WORDS = [
  'sales',
  'Sales',
  'SALES',
  'sal',
  'les',
  'Marketing',
  'smtp:a@contoso.com',
  'SMTP:b@Contoso.com',
  'Enabled',
  'deleted',
  'SCO',
  '',
];
const PATTERNS = ['^sa', 'es$', 's.l', 'contoso', '^$', 'a|m'];
const DATES = ['2020-06-10T18:13:20Z', '2021-01-01T00:00:00Z', '2019-12-31T23:59:59Z'];

const word = fc.constantFrom(...WORDS);
const textOperator = fc.constantFrom<TextOperator>(
  'eq',
  'ne',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
  'contains',
  'notContains',
  'match',
  'notMatch',
  'in',
  'notIn',
);

function operand(operator: TextOperator, nullable: boolean): fc.Arbitrary<string | string[] | null> {
  if (operator === 'in' || operator === 'notIn') return fc.array(word, { minLength: 1, maxLength: 3 });
  if (operator === 'match' || operator === 'notMatch') return fc.constantFrom(...PATTERNS);
  if (nullable && (operator === 'eq' || operator === 'ne')) return fc.oneof(word, fc.constant(null));
  return word;
}

const leaf: fc.Arbitrary<Spec> = fc.oneof(
  fc
    .tuple(fc.constantFrom<TextProperty>('department', 'city', 'mobile', 'extensionAttribute3'), textOperator)
    .chain(([property, operator]) => operand(operator, true).map((value): Spec => ({ kind: 'text', property, operator, value }))),
  fc
    .tuple(fc.constantFrom<'eq' | 'ne'>('eq', 'ne'), fc.constantFrom(true, false, null))
    .map(([operator, value]): Spec => ({ kind: 'enabled', operator, value })),
  fc
    .constantFrom<'eq' | 'ne' | 'le' | 'ge'>('eq', 'ne', 'le', 'ge')
    .chain((operator) =>
      (operator === 'eq' || operator === 'ne' ? fc.constantFrom<string | null>(...DATES, null) : fc.constantFrom(...DATES)).map(
        (value): Spec => ({ kind: 'hired', operator, value }),
      ),
    ),
  textOperator.chain((operator) =>
    operand(operator, false).map((value): Spec => ({ kind: 'proxies', operator, value: value as string | string[] })),
  ),
  fc
    .tuple(fc.constantFrom<'any' | 'all'>('any', 'all'), textOperator)
    .chain(([quantifier, operator]) =>
      operand(operator, false).map((value): Spec => ({ kind: 'eachProxy', quantifier, operator, value: value as string | string[] })),
    ),
  fc
    .tuple(
      fc.constantFrom<'any' | 'all'>('any', 'all'),
      fc.constantFrom<'service' | 'capabilityStatus'>('service', 'capabilityStatus'),
      textOperator,
    )
    .chain(([quantifier, field, operator]) =>
      operand(operator, true).map((value): Spec => ({ kind: 'eachPlan', quantifier, field, operator, value })),
    ),
);

const spec: fc.Arbitrary<Spec> = fc.letrec<{ node: Spec }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constantFrom<'and' | 'or'>('and', 'or'), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant<'not'>('not'), operand: tie('node') }),
  ),
})).node;

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const user: fc.Arbitrary<User> = fc.record({
  id: fc.uuid(),
  department: maybe(fc.oneof(word, fc.constant(null))),
  city: maybe(word),
  mobilePhone: maybe(word),
  accountEnabled: maybe(fc.constantFrom(true, false, null)),
  employeeHireDate: maybe(fc.oneof(fc.constantFrom(...DATES), fc.constant(null))),
  onPremisesExtensionAttributes: maybe(fc.record({ extensionAttribute3: maybe(word) })),
  proxyAddresses: maybe(fc.array(word, { maxLength: 3 })),
  assignedPlans: maybe(
    fc.array(fc.record({ service: word, capabilityStatus: fc.oneof(word, fc.constant(null)), servicePlanId: fc.uuid() }), { maxLength: 3 }),
  ),
});

// ---- rule text, printed here (with the spellings Microsoft's examples use) ----

function quote(text: string): string {
  return `"${text.replace(/[`"]/g, (c) => `\`${c}`)}"`;
}

function valueText(value: string | string[] | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(quote).join(', ')}]`;
  return quote(value);
}

function ruleText(s: Spec): string {
  switch (s.kind) {
    case 'text':
      return `user.${s.property} -${s.operator} ${valueText(s.value)}`;
    case 'enabled':
      return `user.accountEnabled -${s.operator} ${valueText(s.value)}`;
    case 'hired':
      return `user.employeehiredate -${s.operator} ${s.value ?? 'null'}`;
    case 'proxies':
      return `user.proxyAddresses -${s.operator} ${valueText(s.value)}`;
    case 'eachProxy':
      return `user.proxyAddresses -${s.quantifier} (_ -${s.operator} ${valueText(s.value)})`;
    case 'eachPlan':
      return `user.assignedPlans -${s.quantifier} (assignedPlan.${s.field} -${s.operator} ${valueText(s.value)})`;
    case 'and':
    case 'or':
      return `(${ruleText(s.left)}) -${s.kind} (${ruleText(s.right)})`;
    case 'not':
      return `-not (${ruleText(s.operand)})`;
  }
}

// ---- the reference ----

function textHolds(actual: unknown, operator: TextOperator, value: string | string[] | null): boolean {
  const present = typeof actual === 'string' ? actual : null;
  if (value === null) return operator === 'eq' ? present === null : present !== null;
  const negated = operator.startsWith('not') || operator === 'ne';
  if (present === null) return negated;
  const a = present.toLowerCase();
  let positive: boolean;
  if (Array.isArray(value)) positive = value.some((v) => v.toLowerCase() === a);
  else if (operator === 'match' || operator === 'notMatch') positive = new RegExp(value, 'i').test(present);
  else if (/startsWith/i.test(operator)) positive = a.startsWith(value.toLowerCase());
  else if (/endsWith/i.test(operator)) positive = a.endsWith(value.toLowerCase());
  else if (/contains/i.test(operator)) positive = a.includes(value.toLowerCase());
  else positive = a === value.toLowerCase();
  return negated ? !positive : positive;
}

function reference(s: Spec, u: User): boolean {
  switch (s.kind) {
    case 'text':
      return textHolds(TEXT_PROPERTIES[s.property](u), s.operator, s.value);
    case 'enabled': {
      const actual = u.accountEnabled ?? null;
      return s.operator === 'eq' ? actual === s.value : actual !== s.value;
    }
    case 'hired': {
      const actual = u.employeeHireDate ? Date.parse(u.employeeHireDate) : null;
      if (s.value === null) return s.operator === 'eq' ? actual === null : actual !== null;
      const wanted = Date.parse(s.value);
      if (s.operator === 'ne') return actual !== wanted;
      if (actual === null) return false;
      return s.operator === 'eq' ? actual === wanted : s.operator === 'le' ? actual <= wanted : actual >= wanted;
    }
    case 'proxies': {
      const values = u.proxyAddresses ?? [];
      const negated = s.operator.startsWith('not') || s.operator === 'ne';
      const positiveOperator = (
        negated ? (s.operator === 'ne' ? 'eq' : s.operator.slice(3, 4).toLowerCase() + s.operator.slice(4)) : s.operator
      ) as TextOperator;
      const anyPasses = values.some((v) => textHolds(v, positiveOperator, s.value));
      return negated ? !anyPasses : anyPasses;
    }
    case 'eachProxy': {
      const test = (v: string) => textHolds(v, s.operator, s.value);
      const values = u.proxyAddresses ?? [];
      return s.quantifier === 'any' ? values.some(test) : values.every(test);
    }
    case 'eachPlan': {
      const test = (plan: NonNullable<User['assignedPlans']>[number]) => textHolds(plan[s.field], s.operator, s.value);
      const plans = u.assignedPlans ?? [];
      return s.quantifier === 'any' ? plans.some(test) : plans.every(test);
    }
    case 'and':
      return reference(s.left, u) && reference(s.right, u);
    case 'or':
      return reference(s.left, u) || reference(s.right, u);
    case 'not':
      return !reference(s.operand, u);
  }
}

describe('evaluator against the reference', () => {
  it('agrees on generated rules and users', () => {
    fc.assert(
      fc.property(spec, fc.array(user, { minLength: 1, maxLength: 8 }), (s, users) => {
        const compiled = compileRule(ruleText(s), 'user');
        for (const u of users) expect([ruleText(s), u, compiled.matches(u)]).toEqual([ruleText(s), u, reference(s, u)]);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds matches often enough for the comparison to mean something', () => {
    const outcomes = fc.sample(fc.tuple(spec, user), 2000).map(([s, u]) => reference(s, u));
    const matched = outcomes.filter(Boolean).length;
    expect(matched).toBeGreaterThan(200);
    expect(matched).toBeLessThan(1800);
  });
});
