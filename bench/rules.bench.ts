import { performance } from 'node:perf_hooks';
import { compileRule, type DirectoryObject, MAX_RULE_LENGTH, validateRule } from '../src/rules';

/** How long validating a rule of the maximum length takes, and how fast compiled rules evaluate. */

const USER_COUNT = 100_000;
const DEPARTMENTS = ['Sales', 'Marketing', 'Finance', 'Engineering', 'Legal', 'Support', 'Operations'];
const CITIES = ['Lagos', 'Ibadan', 'Kaduna', 'Abuja', 'Port Harcourt', 'Redmond', 'Dublin', 'Tokyo'];
const PLANS = ['efb87545-963c-4e0d-99df-69c6916d9eb0', 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', '57ff2da0-773e-42df-b2af-ffb7a2317929'];
const GROUPS = ['aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb', 'bbbbbbbb-1111-2222-3333-cccccccccccc'];

/** A small deterministic generator, so every run measures the same directory. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function users(count: number): DirectoryObject[] {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  return Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    displayName: `User ${i}`,
    department: next() < 0.1 ? null : pick(DEPARTMENTS),
    city: pick(CITIES),
    jobTitle: next() < 0.2 ? 'SDE II' : 'Manager',
    accountEnabled: next() < 0.95,
    userType: next() < 0.9 ? 'Member' : 'Guest',
    employeeHireDate: new Date(Date.UTC(2015, 0, 1) + Math.floor(next() * 3650) * 86_400_000).toISOString(),
    proxyAddresses: [`SMTP:user${i}@contoso.com`, `smtp:user${i}@${pick(['contoso', 'fabrikam'])}.onmicrosoft.com`],
    assignedPlans: PLANS.filter(() => next() < 0.5).map((servicePlanId) => ({
      servicePlanId,
      capabilityStatus: next() < 0.9 ? 'Enabled' : 'Deleted',
      service: 'exchange',
    })),
    onPremisesExtensionAttributes: { extensionAttribute15: pick(['Marketing', 'Sales', null]) },
    memberOf: GROUPS.filter(() => next() < 0.3),
  }));
}

/** A rule of exactly the maximum length, mixing every kind of condition. */
function longRule(): string {
  const rule = conditionsUpToLimit();
  const filler = ' -or user.department -eq ""';
  return `${rule}${filler.slice(0, -1)}${'x'.repeat(MAX_RULE_LENGTH - rule.length - filler.length)}"`;
}

function conditionsUpToLimit(): string {
  const conditions = [
    (i: number) =>
      `(user.department -eq "${DEPARTMENTS[i % DEPARTMENTS.length]}" -and user.city -in ["${CITIES[i % CITIES.length]}", "${CITIES[(i + 3) % CITIES.length]}"])`,
    (i: number) => `(user.jobTitle -startsWith "SDE" -and -not (user.accountEnabled -eq false) -and user.extensionAttribute15 -ne "x${i}")`,
    (i: number) =>
      `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${PLANS[i % PLANS.length]}" -and assignedPlan.capabilityStatus -eq "Enabled")`,
    (i: number) => `(user.proxyAddresses -any (_ -match "^smtp:user${i}@") -or user.employeeHireDate -ge system.now -minus p${i + 1}d)`,
  ];
  let rule = '';
  for (let i = 0; ; i++) {
    const next = rule === '' ? conditions[i % 4](i) : `${rule} -or ${conditions[i % 4](i)}`;
    if (next.length > MAX_RULE_LENGTH - 40) return rule;
    rule = next;
  }
}

function timeEach(iterations: number, work: () => void): number {
  for (let i = 0; i < Math.min(50, iterations); i++) work();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) work();
  return (performance.now() - started) / iterations;
}

export async function run(): Promise<void> {
  const rule = longRule();
  const validation = validateRule(rule);
  if (!validation.valid) throw new Error(`The benchmark rule is invalid: ${JSON.stringify(validation.errors)}`);
  const validateMs = timeEach(500, () => validateRule(rule));
  console.log(
    `parse + validate + format, ${rule.length}-character rule: ${(validateMs * 1000).toFixed(0)} µs per rule (${(1000 / validateMs).toFixed(0)} rules/s)`,
  );

  const directory = users(USER_COUNT);
  const cases: [string, string][] = [
    ['single -eq', 'user.department -eq "Sales"'],
    ['documented -and/-not', '(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")'],
    [
      'assignedPlans -any',
      `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${PLANS[0]}" -and assignedPlan.capabilityStatus -eq "Enabled")`,
    ],
    ['proxyAddresses -any -match', 'user.proxyAddresses -any (_ -match "@fabrikam\\.onmicrosoft\\.com$")'],
    ['memberOf', `user.memberOf -any (group.objectId -in ['${GROUPS[0]}'])`],
    ['hire date vs system.now', 'user.employeeHireDate -ge system.now -minus P10Y'],
    [`${rule.length}-character rule`, rule],
  ];
  let baseline = 0;
  console.log(`evaluations over ${USER_COUNT.toLocaleString('en-US')} generated users:`);
  for (const [name, text] of cases) {
    const compiled = compileRule(text, 'user');
    let matched = 0;
    for (const user of directory) if (compiled.matches(user)) matched++;
    const started = performance.now();
    matched = 0;
    for (const user of directory) if (compiled.matches(user)) matched++;
    const perSecond = USER_COUNT / ((performance.now() - started) / 1000);
    baseline ||= perSecond;
    const ratio = (baseline / perSecond).toFixed(1);
    console.log(
      `  ${name.padEnd(28)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} evaluations/s  ×${ratio} the cost of a single -eq  (${matched.toLocaleString('en-US')} match)`,
    );
  }
}
