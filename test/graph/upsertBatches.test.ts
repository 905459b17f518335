import type { TokenCredential } from '@azure/core-auth';
import { APPROVER, BOT_APP_ID, INTUNE_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { loadFixture, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { GraphGroupWriter } from '../../src/graph/groupWriter';
import type { RetryOptions } from '../../src/graph/retryPolicy';
import { UpsertsByCredential } from '../../src/graph/upsertsByCredential';
import { DirectoryError, type NewGroup } from '../../src/requests/directory';
import { FAST_RETRY, credentialFor, roundTrips, startTestEmulator } from './graphHarness';

/** Creations as the bot runs them: a writer each, all sharing the server's upserts. */
describe('group upserts made together under one credential', () => {
  let emulator: RunningGraphEmulator;
  const users = loadFixture()
    .users.filter((user) => user.accountEnabled !== false && user.id !== APPROVER.id && !user.userPrincipalName.includes('#EXT#'))
    .map((user) => user.id);

  const newGroup = (name: string, overrides: Partial<NewGroup> = {}): NewGroup => ({
    uniqueName: `entra-group-request-${name}`,
    displayName: `Burst ${name}`,
    mailNickname: `burst-${name}`,
    description: '',
    membershipType: 'assigned',
    ownerIds: [APPROVER.id],
    memberIds: [],
    ...overrides,
  });

  /** Each creation with a writer of its own, as the bot makes one per creation. */
  function writers(upserts: UpsertsByCredential, credential: TokenCredential, retry: Partial<RetryOptions> = FAST_RETRY) {
    return (group: NewGroup) =>
      new GraphGroupWriter({ credential, baseUrl: emulator.url, retry, identity: 'bot', upserts }).upsertGroup(group);
  }

  async function theOnlyGroup(uniqueName: string) {
    const groups = (await emulator.controls.groups()).filter((group) => group.uniqueName === uniqueName);
    expect(groups).toHaveLength(1);
    return groups[0];
  }

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  it('go to Graph as one $batch, and each group is made once with exactly its owners and members', async () => {
    const create = writers(new UpsertsByCredential(), credentialFor('app', BOT_APP_ID));
    const groups = Array.from({ length: 5 }, (_, i) =>
      newGroup(`together-${i}`, { ownerIds: [APPROVER.id, users[i]], memberIds: users.slice(10 + i, 13 + i) }),
    );

    const made = await Promise.all(groups.map(create));

    expect(made.map((upsert) => upsert.created)).toEqual(Array(5).fill(true));
    const trips = await roundTrips(emulator);
    expect(trips.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /$batch']);
    expect(trips.requests[0].batchParts?.map((part) => `${part.method} ${decodeURIComponent(part.url)} ${part.status}`)).toEqual(
      groups.map((group) => `PATCH /groups(uniqueName='${group.uniqueName}') 201`),
    );
    for (const [i, group] of groups.entries()) {
      const stored = await theOnlyGroup(group.uniqueName);
      expect(made[i].group).toEqual({ id: stored.id, displayName: group.displayName });
      expect([...stored.owners].sort()).toEqual([...group.ownerIds].sort());
      expect([...stored.members].sort()).toEqual([...group.memberIds].sort());
      expect(made[i].boundMembers).toEqual(group.memberIds);
    }
  });

  it('send a throttled part again alone after its Retry-After, and make its group once', async () => {
    const create = writers(new UpsertsByCredential(), credentialFor('app', BOT_APP_ID));
    await emulator.controls.injectFault({ status: 429, retryAfterSeconds: 1, target: 'batchPart', after: 1, count: 1 });
    const groups = [0, 1, 2].map((i) => newGroup(`throttled-${i}`, { memberIds: [users[i]] }));

    const made = await Promise.all(groups.map(create));

    expect(made.map((upsert) => upsert.created)).toEqual([true, true, true]);
    const trips = await roundTrips(emulator);
    expect(trips.requests.map((request) => request.batchParts?.map((part) => part.status))).toEqual([[201, 429, 201], [201]]);
    expect(decodeURIComponent(trips.requests[1].batchParts![0].url)).toBe(`/groups(uniqueName='${groups[1].uniqueName}')`);
    expect(Date.parse(trips.requests[1].at) - Date.parse(trips.requests[0].at)).toBeGreaterThanOrEqual(1_000);
    for (const group of groups) expect((await theOnlyGroup(group.uniqueName)).members).toEqual(group.memberIds);
  });

  it('fail only the creation whose part Graph refuses, in the words the call alone would get; the others are made', async () => {
    const create = writers(new UpsertsByCredential(), credentialFor('app', BOT_APP_ID));
    const unknownId = '11111111-2222-4333-8444-555555555555';
    const refused = newGroup('refused', { memberIds: [unknownId] });
    const groups = [newGroup('kept-0'), refused, newGroup('kept-1')];

    const outcomes = await Promise.allSettled(groups.map(create));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = (outcomes[1] as PromiseRejectedResult).reason as DirectoryError;
    expect(failure).toBeInstanceOf(DirectoryError);
    expect(failure).toMatchObject({ code: 'Request_ResourceNotFound', transient: false });
    expect(failure.message).toMatch(/^Microsoft Graph could not find an object needed to create the group/);
    expect((await roundTrips(emulator)).requests.map((request) => request.url)).toEqual(['/$batch']);
    await theOnlyGroup(groups[0].uniqueName);
    await theOnlyGroup(groups[2].uniqueName);
    expect((await emulator.controls.groups()).filter((group) => group.uniqueName === refused.uniqueName)).toEqual([]);

    const alone = (await create(refused).catch((error: unknown) => error)) as DirectoryError;
    expect({ code: alone.code, message: alone.message, permanent: alone.permanent }).toEqual({
      code: failure.code,
      message: failure.message,
      permanent: failure.permanent,
    });
  });

  it('fail together, in words an admin can act on, when their $batch fails for good', async () => {
    const create = writers(new UpsertsByCredential(), credentialFor('app', BOT_APP_ID), { ...FAST_RETRY, maxAttempts: 2 });
    await emulator.controls.injectFault({ status: 503, pathPrefix: '/$batch', count: 2 });

    const outcomes = await Promise.allSettled([newGroup('outage-0'), newGroup('outage-1')].map(create));

    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'serviceNotAvailable', transient: true });
      expect(((outcome as PromiseRejectedResult).reason as Error).message).toMatch(
        /error on its side \(503 serviceNotAvailable\) when trying to create the group after 2 attempts/,
      );
    }
    expect(await emulator.controls.groups()).not.toContainEqual(expect.objectContaining({ displayName: 'Burst outage-0' }));
  });

  it("never put two approvers' upserts in one $batch: each group is made by its own approver", async () => {
    const upserts = new UpsertsByCredential();
    const byApprover = [APPROVER, INTUNE_ADMIN].map((admin) => ({ admin, create: writers(upserts, credentialFor('user', admin.id)) }));
    const groups = byApprover.flatMap(({ admin, create }) =>
      [0, 1].map((i) => ({
        admin,
        group: newGroup(`${admin.id.slice(0, 8)}-${i}`, { ownerIds: [admin.id], memberIds: [REQUESTER.id] }),
        create,
      })),
    );

    await Promise.all(groups.map(({ group, create }) => create(group)));

    const trips = await roundTrips(emulator);
    expect(trips.requests.map((request) => request.batchParts?.length)).toEqual([2, 2]);
    for (const { admin, group } of groups) {
      expect(await theOnlyGroup(group.uniqueName)).toMatchObject({ createdBy: { kind: 'user', oid: admin.id }, members: [REQUESTER.id] });
    }
    const batches = trips.requests.map((request) => request.batchParts!.map((part) => decodeURIComponent(part.url)).sort());
    expect(batches.sort()).toEqual(
      byApprover
        .map(({ admin }) =>
          groups
            .filter((g) => g.admin === admin)
            .map((g) => `/groups(uniqueName='${g.group.uniqueName}')`)
            .sort(),
        )
        .sort(),
    );
  });
});
