import {
  APPROVER,
  APPROVERS_GROUP_ID,
  BOT_APP_ID,
  GLOBAL_ADMIN,
  INTUNE_ADMIN,
  NESTED_APPROVER,
  REQUESTER,
} from '../../src/dev/fixtures/wellKnown';
import { loadFixture, startGraphEmulator, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { GraphDirectoryReader } from '../../src/graph/directoryReader';
import { FAST_RETRY, authenticateTestCaller, credentialFor, roundTrips } from './graphHarness';

describe('directory reads with the bot identity', () => {
  let emulator: RunningGraphEmulator;
  let reader: GraphDirectoryReader;
  const fixture = loadFixture();
  const generated = Array.from({ length: 2_000 }, (_, i) => ({
    id: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`,
    displayName: `Generated User ${i}`,
    userPrincipalName: `generated.${i}@contoso.com`,
    department: i % 2 === 0 ? 'Finance' : 'Sales',
  }));
  fixture.users.push(...generated);

  beforeAll(async () => {
    emulator = await startGraphEmulator({ authenticate: authenticateTestCaller, fixture });
    reader = new GraphDirectoryReader({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  it('finds the approvers among a few people in one $batch, and among a whole team in one read of the group', async () => {
    const few = [APPROVER.id, NESTED_APPROVER.id, REQUESTER.id, '9d1e2f3a-0000-4000-8000-000000000000'];
    expect(await reader.membersAmong(few, APPROVERS_GROUP_ID)).toEqual(new Set([APPROVER.id, NESTED_APPROVER.id]));
    expect(await roundTrips(emulator)).toMatchObject({ total: 1, batches: 1 });

    await emulator.controls.reset();
    const team = [...generated.slice(0, 1_000).map((u) => u.id), INTUNE_ADMIN.id, NESTED_APPROVER.id, GLOBAL_ADMIN.id];
    expect(await reader.membersAmong(team, APPROVERS_GROUP_ID)).toEqual(new Set([INTUNE_ADMIN.id, NESTED_APPROVER.id]));
    const { total, requests } = await roundTrips(emulator);
    expect(total).toBe(1);
    expect(requests[0].url).toMatch(/^\/groups\/[^/]+\/transitiveMembers\/microsoft\.graph\.user\?/);
  });

  it('checks approvers transitively: direct members, members through a nested group, and others', async () => {
    expect(await reader.isMemberOf(APPROVER.id, APPROVERS_GROUP_ID)).toBe(true);
    expect(await reader.isMemberOf(INTUNE_ADMIN.id, APPROVERS_GROUP_ID)).toBe(true);
    expect(await reader.isMemberOf(NESTED_APPROVER.id, APPROVERS_GROUP_ID)).toBe(true);
    expect(await reader.isMemberOf(REQUESTER.id, APPROVERS_GROUP_ID)).toBe(false);
    expect(await reader.isMemberOf(GLOBAL_ADMIN.id, APPROVERS_GROUP_ID)).toBe(false);
    expect(await reader.isMemberOf('9d1e2f3a-0000-4000-8000-000000000000', APPROVERS_GROUP_ID)).toBe(false);
  });

  it('reads every user in pages of 999 for rule previews, with the properties rules use', async () => {
    const pages: number[] = [];
    const seen = new Set<string>();
    let finance = 0;
    for await (const page of reader.objects('user')) {
      pages.push(page.length);
      for (const user of page as readonly Record<string, unknown>[]) {
        seen.add(String(user.id));
        if (user.department === 'Finance') finance += 1;
      }
    }
    expect(pages).toEqual([999, 999, fixture.users.length - 1_998]);
    expect(seen.size).toBe(fixture.users.length);
    expect(finance).toBe(fixture.users.filter((user) => user.department === 'Finance').length);
    expect((await roundTrips(emulator)).total).toBe(3);
  });

  it('reads devices with their physical ids', async () => {
    const devices = [];
    for await (const page of reader.devices(['displayName', 'physicalIds', 'operatingSystem'])) devices.push(...page);
    expect(devices).toHaveLength(fixture.devices.length);
    const autopilot = devices.filter((device) => (device.physicalIds as string[]).some((id) => id.startsWith('[ZTDId]')));
    expect(autopilot.map((device) => device.displayName).sort()).toEqual(['CONTOSO-KIOSK-01', 'CONTOSO-LT-0142', 'CONTOSO-LT-0143']);
  });

  it('checks nicknames for creations that come while a check is under way beside it, not after its answer, with Graph slow', async () => {
    await emulator.controls.setLatency(3_000);
    const patient = new GraphDirectoryReader({
      credential: credentialFor('app', BOT_APP_ID),
      baseUrl: emulator.url,
      retry: { ...FAST_RETRY, timeoutMs: 10_000 },
    });
    const first = patient.mailNicknameInUse('salesteam', 'entra-group-request-a');
    // Long after the first check's window: its request is on its way to Graph.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const second = patient.mailNicknameInUse('not-taken-yet', 'entra-group-request-b');
    expect(await Promise.all([first, second])).toEqual([true, false]);

    const checks = (await roundTrips(emulator)).requests.filter((request) => request.url.startsWith('/groups?'));
    expect(checks).toHaveLength(2);
    const [earlier, later] = [...checks].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    expect(Date.parse(later.at)).toBeLessThan(Date.parse(earlier.at) + earlier.durationMs);
  });
});
