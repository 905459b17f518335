import { APPROVER, BOT_APP_ID } from '../../src/dev/fixtures/wellKnown';
import { loadFixture, startGraphEmulator, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { GraphDirectoryReader } from '../../src/graph/directoryReader';
import { GraphGroupWriter } from '../../src/graph/groupWriter';
import type { NewGroup } from '../../src/requests/directory';
import { FAST_RETRY, authenticateTestCaller, credentialFor, roundTrips } from './graphHarness';

describe('the Graph client through throttling, outages and timeouts', () => {
  let emulator: RunningGraphEmulator;
  const fixture = loadFixture();
  const extra = Array.from({ length: 60 }, (_, i) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`);
  const bulk = Array.from({ length: 420 }, (_, i) => `00000000-0000-4000-9100-${String(i).padStart(12, '0')}`);
  fixture.users.push(
    ...[...extra, ...bulk].map((id, i) => ({ id, displayName: `Load User ${i}`, userPrincipalName: `load.${i}@contoso.com` })),
  );
  const writer = () => new GraphGroupWriter({ credential: credentialFor('user', APPROVER.id), baseUrl: emulator.url, retry: FAST_RETRY });
  const reader = () => new GraphDirectoryReader({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY });
  const newGroup: NewGroup = {
    uniqueName: 'entra-group-request-laptops',
    displayName: 'Finance laptops users',
    mailNickname: 'finance-laptops-users',
    description: '',
    membershipType: 'assigned',
    ownerIds: [APPROVER.id],
    memberIds: [],
  };

  beforeAll(async () => {
    emulator = await startGraphEmulator({ authenticate: authenticateTestCaller, fixture });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  async function expectExactMembers(groupId: string, expected: string[]) {
    expect((await emulator.controls.group(groupId)).members.sort()).toEqual([...expected].sort());
  }

  it('waits out a 429 storm as long as Retry-After says, then adds every member', async () => {
    const { group } = await writer().upsertGroup(newGroup);
    await emulator.controls.clearRequests();
    await emulator.controls.injectFault({ status: 429, retryAfterSeconds: 1, count: 2, pathPrefix: '/$batch' });

    const started = Date.now();
    const result = await writer().addMembers(group.id, extra);

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(result).toEqual({ added: extra, failed: [] });
    await expectExactMembers(group.id, extra);
    const trips = await roundTrips(emulator);
    expect(trips.requests.map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it('sends again only the parts of a $batch that were throttled or failed', async () => {
    const { group } = await writer().upsertGroup(newGroup);
    await emulator.controls.clearRequests();
    await emulator.controls.injectFault({ status: 429, retryAfterSeconds: 0, target: 'batchPart', pathPrefix: '/groups', count: 1 });
    await emulator.controls.injectFault({ status: 500, target: 'batchPart', pathPrefix: '/groups', count: 1 });

    const result = await writer().addMembers(group.id, extra);

    expect(result.failed).toEqual([]);
    await expectExactMembers(group.id, extra);
    const trips = await roundTrips(emulator);
    expect(trips.requests.map((request) => request.batchParts?.map((part) => part.status))).toEqual([
      [429, 500, 204],
      [204, 204],
    ]);
  });

  it('keeps what earlier batches added when a later batch fails for good, and fails only the members it carried', async () => {
    const { group } = await writer().upsertGroup(newGroup);
    const patient = new GraphGroupWriter({
      credential: credentialFor('user', APPROVER.id),
      baseUrl: emulator.url,
      retry: { ...FAST_RETRY, maxAttempts: 2 },
    });
    // 420 members: 21 PATCHes, so two batches; the second one meets a lasting outage.
    await emulator.controls.injectFault({ status: 503, pathPrefix: '/$batch', after: 1, count: 5 });

    const result = await patient.addMembers(group.id, bulk);

    expect(result.added).toEqual(bulk.slice(0, 400));
    expect(result.failed.map((failure) => failure.id)).toEqual(bulk.slice(400));
    expect(result.failed[0].error).toMatchObject({ code: 'serviceNotAvailable', transient: true });
    expect(result.failed[0].error.message).toMatch(
      /error on its side \(503 serviceNotAvailable\) when trying to add members to the group after 2 attempts/,
    );
    await expectExactMembers(group.id, bulk.slice(0, 400));
  });

  it('rides out 503s when resolving users', async () => {
    await emulator.controls.injectFault({ status: 503, count: 2 });
    const lookup = await reader().resolveUsers(['megan.bowen@contoso.com', 'nobody@contoso.com']);
    expect(lookup.found.map((user) => user.reference)).toEqual(['megan.bowen@contoso.com']);
    expect(lookup.missing).toEqual(['nobody@contoso.com']);
    expect((await roundTrips(emulator)).requests.map((request) => request.status)).toEqual([503, 503, 200]);
  });

  it('retries a batch that timed out although Graph applied it, and still ends with exactly the requested members', async () => {
    const slowWriter = new GraphGroupWriter({
      credential: credentialFor('user', APPROVER.id),
      baseUrl: emulator.url,
      // The retry usually comes after the first batch was applied late, so Graph answers "already exist".
      retry: { ...FAST_RETRY, timeoutMs: 300, baseDelayMs: 300 },
    });
    const { group } = await slowWriter.upsertGroup(newGroup);
    await emulator.controls.injectFault({ delayMs: 400, pathPrefix: '/$batch', count: 1 });

    const result = await slowWriter.addMembers(group.id, extra);

    expect(result.failed).toEqual([]);
    expect(result.added.sort()).toEqual([...extra].sort());
    await expectExactMembers(group.id, extra);
  });

  it('sends a create that timed out again and finds the group Graph made meanwhile: one group, never two', async () => {
    const slowWriter = new GraphGroupWriter({
      credential: credentialFor('user', APPROVER.id),
      baseUrl: emulator.url,
      retry: { ...FAST_RETRY, timeoutMs: 300, baseDelayMs: 400 },
    });
    await emulator.controls.injectFault({ delayMs: 350, method: 'PATCH', pathPrefix: '/groups(' });

    const made = await slowWriter.upsertGroup({ ...newGroup, memberIds: extra.slice(0, 3) });

    expect(made.created).toBe(false);
    const groups = (await emulator.controls.groups()).filter((group) => group.uniqueName === newGroup.uniqueName);
    expect(groups).toHaveLength(1);
    expect(made.group).toEqual({ id: groups[0].id, displayName: groups[0].displayName });
    expect(groups[0].members.sort()).toEqual(extra.slice(0, 3).sort());
  });

  it('waits out the replication of a group it just made: its first member PATCHes meet 400 "do not exist", then succeed', async () => {
    await emulator.controls.setReplicationLag(1_200);
    const lagging = writer();
    const { group } = await lagging.upsertGroup(newGroup);
    const result = await lagging.addMembers(group.id, extra);
    expect(result).toEqual({ added: extra, failed: [] });
    await expectExactMembers(group.id, extra);
    const statuses = (await roundTrips(emulator)).requests.flatMap((request) => request.batchParts?.map((part) => part.status) ?? []);
    expect(statuses).toContain(400);
  });

  it('does not take a 404 for replication lag on a group it did not just make', async () => {
    const failure = await writer().addMembers('99999999-9999-4999-8999-999999999999', extra.slice(0, 2));
    expect(failure.failed).toHaveLength(2);
    expect((await roundTrips(emulator)).requests).toHaveLength(2);
  });

  it('gives up after its attempts when throttling does not stop, with an error that says to wait', async () => {
    const impatient = new GraphDirectoryReader({
      credential: credentialFor('app', BOT_APP_ID),
      baseUrl: emulator.url,
      retry: { ...FAST_RETRY, maxAttempts: 3 },
    });
    await emulator.controls.injectFault({ status: 429, retryAfterSeconds: 0, count: 10 });

    const failure = await impatient.isMemberOf(APPROVER.id, fixture.groups[0].id).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'TooManyRequests', transient: true });
    expect((failure as Error).message).toMatch(
      /throttling requests from this tenant and still refused to check the approvers group membership after 3 attempts/,
    );
    expect((await roundTrips(emulator)).total).toBe(3);
  });

  it('stops when Retry-After is longer than it may wait, and says how long to wait', async () => {
    await emulator.controls.injectFault({ status: 429, retryAfterSeconds: 120, count: 1 });
    const failure = await reader()
      .mailNicknameInUse('anything')
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ transient: true });
    expect((failure as Error).message).toMatch(/Try again in 120 seconds/);
  });

  it('reports an unreachable Graph as a transient network error', async () => {
    const stopped = await startGraphEmulator({ authenticate: () => undefined });
    const url = stopped.url;
    await stopped.stop();
    const offline = new GraphDirectoryReader({
      credential: credentialFor('app', BOT_APP_ID),
      baseUrl: url,
      retry: { ...FAST_RETRY, maxAttempts: 2 },
    });
    const failure = await offline.resolveUsers(['megan.bowen@contoso.com']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'NetworkError', transient: true });
    expect((failure as Error).message).toMatch(/could not be reached to look up the requested users after 2 attempts/);
  });
});
