import { chooseRoute, type ApprovalPolicy, type RouteCandidate } from '../../src/requests/approvalPolicy';
import type { DirectoryPrincipal, RulePreviewSummary } from '../../src/requests/groupRequest';
import { parseIsoDuration } from '../../src/requests/isoDuration';

/** Which route a request takes: the first whose conditions all hold, by kind, name prefix, membership type and size. */

const stage = (approversGroupId: string) => [{ name: 'Stage 1', approversGroupId }];
const policy: ApprovalPolicy = {
  routes: [
    { name: 'Devices', match: { kinds: ['autopilotDevices'] }, stages: stage('devices') },
    { name: 'Finance', match: { displayNamePrefix: 'FIN-' }, stages: stage('finance') },
    { name: 'Large dynamic', match: { membershipType: 'dynamic', minSize: 100 }, stages: stage('large') },
    { name: 'Small', match: { maxSize: 5 }, stages: stage('small') },
  ],
};

const people = (count: number): DirectoryPrincipal[] =>
  Array.from({ length: count }, (_, i) => ({ id: `u${i}`, displayName: `User ${i}`, reference: `u${i}@contoso.com`, kind: 'user' }));

const preview = (matched: number, complete = true, unsupported = false): RulePreviewSummary => ({
  matched,
  scanned: 1000,
  complete,
  examples: [],
  kind: 'user',
  at: '2026-11-25T10:00:00Z',
  ...(unsupported ? { unsupportedPattern: { pattern: '(?=x)', feature: 'lookahead' } } : {}),
});

function candidate(overrides: Partial<RouteCandidate['spec']> = {}, members = 10, rulePreview?: RulePreviewSummary): RouteCandidate {
  return {
    spec: { preset: 'custom', displayName: 'Sales reps', membershipType: 'assigned', ...overrides },
    members: people(members),
    ...(rulePreview ? { rulePreview } : {}),
  };
}

const routeOf = (c: RouteCandidate) => chooseRoute(policy, c)?.name;

describe('choosing a route', () => {
  it('by kind, before any later route', () => {
    expect(routeOf(candidate({ preset: 'autopilotDevices', displayName: 'FIN-laptops' }, 0))).toBe('Devices');
  });

  it('by display-name prefix, without case', () => {
    expect(routeOf(candidate({ displayName: 'fin-Payroll' }))).toBe('Finance');
    expect(routeOf(candidate({ displayName: 'Payroll FIN-' }))).toBeUndefined();
  });

  it('by the members named, for an assigned group', () => {
    expect(routeOf(candidate({}, 5))).toBe('Small');
    expect(routeOf(candidate({}, 6))).toBeUndefined();
  });

  it('by the users a rule matches now, for a dynamic group', () => {
    expect(routeOf(candidate({ membershipType: 'dynamic' }, 0, preview(150)))).toBe('Large dynamic');
    expect(routeOf(candidate({ membershipType: 'dynamic' }, 0, preview(3)))).toBe('Small');
  });

  it('takes a count it could not finish, or could not make, as large: the stricter route', () => {
    expect(routeOf(candidate({ membershipType: 'dynamic' }, 0, preview(3, false)))).toBe('Large dynamic');
    expect(routeOf(candidate({ membershipType: 'dynamic' }, 0, preview(0, true, true)))).toBe('Large dynamic');
    expect(routeOf(candidate({ membershipType: 'assigned' }, 50))).toBeUndefined();
  });

  it('keeps the route without its conditions: what is stored with the request', () => {
    expect(chooseRoute(policy, candidate({ preset: 'autopilotDevices' }))).toEqual({ name: 'Devices', stages: stage('devices') });
  });
});

describe('ISO 8601 durations', () => {
  it('reads weeks, days, hours, minutes and seconds', () => {
    expect(parseIsoDuration('PT4H')).toEqual({ ok: true, duration: { iso: 'PT4H', ms: 4 * 3_600_000 } });
    expect(parseIsoDuration('P1DT12H')).toEqual({ ok: true, duration: { iso: 'P1DT12H', ms: 36 * 3_600_000 } });
    expect(parseIsoDuration('P2W')).toEqual({ ok: true, duration: { iso: 'P2W', ms: 14 * 86_400_000 } });
    expect(parseIsoDuration('PT90S')).toEqual({ ok: true, duration: { iso: 'PT90S', ms: 90_000 } });
  });

  it('refuses what is not one, and says how to write it', () => {
    for (const text of ['P', 'PT', '4h', 'P1H', 'PT1D', 'p1d', 'P1.5D', ' P1D']) {
      expect(parseIsoDuration(text)).toEqual({ ok: false, problem: expect.stringContaining('not an ISO 8601 duration') });
    }
    expect(parseIsoDuration('P1Y')).toEqual({ ok: false, problem: expect.stringContaining('say it in days') });
  });
});
