import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config';

/** The approval policy file: read and checked with the other settings, every problem named by route and field. */

const base = {
  TENANT_ID: '3f1c2b4a-6d5e-4c7b-9a8f-0e1d2c3b4a59',
  APPROVERS_GROUP_ID: '0c4d9a58-3b7e-4f21-9d1a-6e2f8b3c5a77',
  GRAPH_AUTH_MODE: 'app',
};
const EXAMPLE = join(__dirname, '../../env/approval-policy.example.json');
const GROUP = 'c589d331-29bd-4812-b74b-5d2db869d723';

let folder: string;
beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'approval-policy-'))));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function policyFile(name: string, content: unknown): string {
  const file = join(folder, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problems(file: string): string[] {
  try {
    loadConfig({ ...base, APPROVAL_POLICY_FILE: file });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** A route with one stage, changed by `overrides`. */
const route = (overrides: Record<string, unknown> = {}) => ({ name: 'Finance', stages: [{ approversGroupId: GROUP }], ...overrides });

describe('the example policy in env/', () => {
  it('parses: its routes in order, their stages, durations in milliseconds, channels on the configured service URL', () => {
    const config = loadConfig({
      ...base,
      APPROVAL_POLICY_FILE: EXAMPLE,
      APPROVALS_CHANNEL_ID: '19:approvals@thread.tacv2',
      APPROVALS_SERVICE_URL: 'https://smba.trafficmanager.net/emea/',
    });
    const policy = config.approvalPolicy!;
    expect(policy.routes.map((r) => r.name)).toEqual([
      'Autopilot device groups',
      'Large groups',
      'Finance and dynamic groups',
      'Everything else',
    ]);
    const large = policy.routes[1];
    expect(large.match).toEqual({ minSize: 500 });
    expect(large.stages).toEqual([
      {
        name: 'Identity Operations',
        approversGroupId: '98c76dc8-f4bb-4caa-8f89-8f7696d2a749',
        channel: { conversationId: '19:identity-operations@thread.tacv2', serviceUrl: 'https://smba.trafficmanager.net/emea/' },
      },
      { name: 'Group approvers', approversGroupId: GROUP },
    ]);
    expect(large.remindAfter).toEqual({ iso: 'PT8H', ms: 8 * 3_600_000 });
    expect(large.escalation).toEqual({ after: { iso: 'P1D', ms: 86_400_000 }, approversGroupId: GROUP });
    expect(large.expireAfter).toEqual({ iso: 'P3D', ms: 3 * 86_400_000 });
    expect(policy.routes[3].match).toEqual({});
  });

  it('reads the same in YAML', async () => {
    const { readFileSync } = await import('node:fs');
    const yamlFile = policyFile('policy.yaml', stringify(JSON.parse(readFileSync(EXAMPLE, 'utf8'))));
    expect(loadConfig({ ...base, APPROVAL_POLICY_FILE: yamlFile }).approvalPolicy).toEqual(
      loadConfig({ ...base, APPROVAL_POLICY_FILE: EXAMPLE }).approvalPolicy,
    );
  });
});

describe('without a policy file', () => {
  it('has no policy: the approvers group decides every request in one stage', () => {
    expect(loadConfig(base).approvalPolicy).toBeUndefined();
  });
});

describe('a policy the bot cannot use', () => {
  it('names the route and the field of each problem, all at once', () => {
    const file = policyFile('two-problems.json', {
      routes: [
        route({ name: 'Autopilot' }),
        route({ name: 'Large groups', stages: [{ approversGroupId: 'identity-ops' }], remindAfter: '4h' }),
      ],
    });
    expect(problems(file)).toEqual([
      `APPROVAL_POLICY_FILE ${file}: route "Large groups" (routes[1]): stages[0].approversGroupId must be a group object id (a GUID)`,
      `APPROVAL_POLICY_FILE ${file}: route "Large groups" (routes[1]): remindAfter is "4h", not an ISO 8601 duration such as PT30M, PT4H, P3D or P1DT12H`,
    ]);
  });

  it('refuses months and years, which have no fixed length, and a zero duration', () => {
    const file = policyFile('months.json', {
      routes: [route({ expireAfter: 'P1M', escalation: { after: 'PT0S', approversGroupId: GROUP } })],
    });
    expect(problems(file)).toEqual([
      `APPROVAL_POLICY_FILE ${file}: route "Finance" (routes[0]): escalation.after is "PT0S", which is no time at all: give a duration longer than zero`,
      `APPROVAL_POLICY_FILE ${file}: route "Finance" (routes[0]): expireAfter is "P1M": years and months have no fixed length, so say it in days (P30D) or weeks (P4W)`,
    ]);
  });

  it('wants one to three stages', () => {
    const stage = { approversGroupId: GROUP };
    const file = policyFile('stages.json', {
      routes: [route({ name: 'None', stages: [] }), route({ name: 'Four', stages: [stage, stage, stage, stage] })],
    });
    expect(problems(file)).toEqual([
      `APPROVAL_POLICY_FILE ${file}: route "None" (routes[0]): stages must name at least one stage`,
      `APPROVAL_POLICY_FILE ${file}: route "Four" (routes[1]): stages may name at most 3 stages`,
    ]);
  });

  it('names a misspelt field, an unknown kind and a channel that is no Teams channel', () => {
    const file = policyFile('typos.json', {
      routes: [
        route({
          match: { kinds: ['autopilotDevice'] },
          stages: [{ aproversGroupId: GROUP }, { approversGroupId: GROUP, channel: 'Group approvals' }],
        }),
      ],
    });
    const found = problems(file);
    expect(found).toContain(
      `APPROVAL_POLICY_FILE ${file}: route "Finance" (routes[0]): stages[0] has a field it does not know: "aproversGroupId"`,
    );
    expect(found).toContainEqual(expect.stringMatching(/route "Finance" \(routes\[0\]\): match\.kinds\[0\] .*'autopilotUsers'/));
    expect(found).toContain(
      `APPROVAL_POLICY_FILE ${file}: route "Finance" (routes[0]): stages[1].channel must be a Teams channel's id, such as 19:…@thread.tacv2 (in the channel's link)`,
    );
  });

  it('refuses two routes of one name, sizes that exclude each other, and a reminder after the expiry', () => {
    const file = policyFile('contradictions.json', {
      routes: [route({ match: { minSize: 100, maxSize: 10 } }), route({ name: 'finance', remindAfter: 'P3D', expireAfter: 'P2D' })],
    });
    expect(problems(file)).toEqual([
      `APPROVAL_POLICY_FILE ${file}: route "Finance" (routes[0]): match.maxSize is smaller than minSize, so no request could match`,
      `APPROVAL_POLICY_FILE ${file}: route "finance" (routes[1]): remindAfter (P3D) must be shorter than expireAfter (P2D): the request expires first`,
      `APPROVAL_POLICY_FILE ${file}: route "finance" (routes[1]): name is an earlier route's name too (names are compared without case)`,
    ]);
  });

  it('says when the file cannot be read or parsed', () => {
    const missing = join(folder, 'missing.json');
    expect(problems(missing)).toEqual([`APPROVAL_POLICY_FILE ${missing}: cannot be read (ENOENT)`]);
    const broken = policyFile('broken.json', '{"routes": [');
    expect(problems(broken)).toEqual([expect.stringMatching(new RegExp(`^APPROVAL_POLICY_FILE ${broken}: is not valid JSON: `))]);
    const brokenYaml = policyFile('broken.yml', 'routes: [\n  - name: "a\n');
    expect(problems(brokenYaml)).toEqual([expect.stringMatching(/: is not valid YAML: /)]);
    expect(problems(policyFile('empty.json', '{}'))).toEqual([expect.stringMatching(/: routes Required$/)]);
  });
});
