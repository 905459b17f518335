import { APPROVER, BOT_APP_ID, GLOBAL_ADMIN, INTUNE_ADMIN, INTUNE_PROVISIONING_CLIENT, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { loadFixture, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { GraphDirectoryReader } from '../../src/graph/directoryReader';
import { GraphTransport } from '../../src/graph/graphTransport';
import { GraphGroupWriter } from '../../src/graph/groupWriter';
import { NicknameLookups, type GroupUsingNickname } from '../../src/graph/nicknameLookups';
import type { NewGroup } from '../../src/requests/directory';
import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../../src/requests/groupRequest';
import { FAST_RETRY, credentialFor, roundTrips, startTestEmulator } from './graphHarness';

describe('creating groups through the Graph client against the emulator', () => {
  let emulator: RunningGraphEmulator;
  let writer: GraphGroupWriter;
  const users = loadFixture()
    .users.filter((user) => user.accountEnabled !== false)
    .map((user) => user.id);

  const newGroup = (overrides: Partial<NewGroup>): NewGroup => ({
    uniqueName: 'entra-group-request-finance',
    displayName: 'Autopilot Device Prep - Users - Finance',
    mailNickname: 'autopilot-dp-users-finance',
    description: 'Users who receive Windows Autopilot device preparation.',
    membershipType: 'assigned',
    ownerIds: [APPROVER.id],
    memberIds: [],
    ...overrides,
  });

  beforeAll(async () => {
    emulator = await startTestEmulator();
    writer = new GraphGroupWriter({ credential: credentialFor('user', APPROVER.id), baseUrl: emulator.url, retry: FAST_RETRY });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  it('creates an assigned security group with 5 members in one request, recorded as made by the approver', async () => {
    const members = users.slice(5, 10);
    const result = await writer.upsertGroup(newGroup({ memberIds: members }));

    expect(result.created).toBe(true);
    expect(result.boundOwners).toEqual([APPROVER.id]);
    expect(result.boundMembers).toEqual(members);
    const group = await emulator.controls.group(result.group.id);
    expect(group).toMatchObject({
      displayName: 'Autopilot Device Prep - Users - Finance',
      mailNickname: 'autopilot-dp-users-finance',
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
      isAssignableToRole: false,
      members,
      owners: [APPROVER.id],
      createdBy: { kind: 'user', oid: APPROVER.id },
      uniqueName: 'entra-group-request-finance',
    });
    expect((await roundTrips(emulator)).total).toBe(1);
  });

  it('creates a group of 150 members: 20 bound on create (owners first), the rest in PATCHes of 20 in one batch', async () => {
    const extra = Array.from({ length: 125 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const fixture = loadFixture();
    fixture.users.push(...extra.map((id, i) => ({ id, displayName: `Load User ${i}`, userPrincipalName: `load.${i}@contoso.com` })));
    emulator.server.store.load(fixture);
    const members = [...users.slice(0, 25), ...extra];
    const owners = [APPROVER.id, INTUNE_ADMIN.id];

    const created = await writer.upsertGroup(newGroup({ ownerIds: owners, memberIds: members }));
    expect(created.boundOwners).toEqual(owners);
    expect(created.boundMembers).toEqual(members.slice(0, 18));
    const rest = members.filter((id) => !created.boundMembers.includes(id));
    const added = await writer.addMembers(created.group.id, rest);

    expect(added.failed).toEqual([]);
    expect(added.added.sort()).toEqual(rest.sort());
    const group = await emulator.controls.group(created.group.id);
    expect(group.members.sort()).toEqual([...members].sort());
    expect(group.owners).toEqual(owners);
    expect(await writer.listMemberIds(created.group.id)).toHaveLength(150);
    expect(await writer.listOwnerIds(created.group.id)).toEqual(owners);
    const trips = await roundTrips(emulator);
    // 1 create + one $batch of ceil(132 / 20) = 7 PATCHes, then the two reads.
    expect(trips.requests.slice(0, 2).map((request) => `${request.method} ${request.url}`)).toEqual([
      "PATCH /groups(uniqueName='entra-group-request-finance')",
      'POST /$batch',
    ]);
    expect(trips.requests[1].batchParts?.map((part) => `${part.method} ${part.status}`)).toEqual(Array(7).fill('PATCH 204'));
  });

  it('creates a dynamic user group with its rule processing on, and never binds members to it', async () => {
    const rule = 'user.department -eq "Finance" -and user.accountEnabled -eq true';
    const created = await writer.upsertGroup(newGroup({ membershipType: 'dynamic', membershipRule: rule, memberIds: users.slice(0, 3) }));
    expect(created.boundMembers).toEqual([]);
    expect(await emulator.controls.group(created.group.id)).toMatchObject({
      groupTypes: ['DynamicMembership'],
      membershipRule: rule,
      membershipRuleProcessingState: 'On',
      members: [],
      owners: [APPROVER.id],
    });
  });

  it('creates the Autopilot device group owned by the Intune Provisioning Client', async () => {
    const reader = new GraphDirectoryReader({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY });
    const intune = await reader.findServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID);
    expect(intune).toEqual({
      id: INTUNE_PROVISIONING_CLIENT.servicePrincipalId,
      displayName: 'Intune Provisioning Client',
      reference: INTUNE_PROVISIONING_CLIENT_APP_ID,
      kind: 'servicePrincipal',
    });
    const created = await writer.upsertGroup(
      newGroup({ displayName: 'Autopilot Device Prep - Devices', mailNickname: 'autopilot-dp-devices', ownerIds: [intune!.id] }),
    );
    expect(await emulator.controls.group(created.group.id)).toMatchObject({ owners: [intune!.id], members: [] });
    expect(await reader.findServicePrincipal('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('adds owners one per request in a batch, counting an owner already there as added', async () => {
    const created = await writer.upsertGroup(newGroup({}));
    const result = await writer.addOwners(created.group.id, [APPROVER.id, INTUNE_ADMIN.id, GLOBAL_ADMIN.id]);
    expect(result).toEqual({ added: [APPROVER.id, INTUNE_ADMIN.id, GLOBAL_ADMIN.id], failed: [] });
    expect((await emulator.controls.group(created.group.id)).owners).toEqual([APPROVER.id, INTUNE_ADMIN.id, GLOBAL_ADMIN.id]);
  });

  it('adds members around ones already there and reports an unknown id on its own', async () => {
    const created = await writer.upsertGroup(newGroup({ memberIds: [REQUESTER.id] }));
    const unknownId = '11111111-2222-4333-8444-555555555555';
    const result = await writer.addMembers(created.group.id, [REQUESTER.id, users[3], unknownId, users[4]]);

    expect(result.added.sort()).toEqual([REQUESTER.id, users[3], users[4]].sort());
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0].id).toBe(unknownId);
    expect(result.failed[0].error).toMatchObject({ code: 'Request_ResourceNotFound', transient: false });
    expect(result.failed[0].error.message).toMatch(/could not find an object needed to add members to the group/);
    expect((await emulator.controls.group(created.group.id)).members.sort()).toEqual([REQUESTER.id, users[3], users[4]].sort());
  });

  it('sent again, finds the group it made instead of making a second, whatever the answer was', async () => {
    const first = await writer.upsertGroup(newGroup({ memberIds: [users[1]] }));
    const again = await writer.upsertGroup(newGroup({ memberIds: [users[1]] }));
    expect(again).toEqual({ group: first.group, created: false, boundOwners: [], boundMembers: [] });
    const withNewMember = await writer.upsertGroup(newGroup({ ownerIds: [], memberIds: [users[2]] }));
    expect(withNewMember.group).toEqual(first.group);
    const made = (await emulator.controls.groups()).filter((group) => group.uniqueName === 'entra-group-request-finance');
    expect(made).toHaveLength(1);
    expect(made[0].members.sort()).toEqual([users[1], users[2]].sort());
  });

  it("says whether a group other than the request's own uses a mail nickname", async () => {
    const reader = new GraphDirectoryReader({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY });
    expect(await reader.mailNicknameInUse('Autopilot-DP-Users-Finance')).toBe(false);
    await writer.upsertGroup(newGroup({}));
    expect(await reader.mailNicknameInUse('Autopilot-DP-Users-Finance')).toBe(true);
    expect(await reader.mailNicknameInUse('Autopilot-DP-Users-Finance', 'entra-group-request-finance')).toBe(false);
    await writer.upsertGroup(newGroup({ uniqueName: 'someone-else' }));
    expect(await reader.mailNicknameInUse('Autopilot-DP-Users-Finance', 'entra-group-request-finance')).toBe(true);
  });

  it('answers 40 nickname checks asked at once, each right, in one round trip', async () => {
    const reader = new GraphDirectoryReader({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY });
    for (let i = 0; i < 40; i += 4) await writer.upsertGroup(newGroup({ uniqueName: `request-${i}`, mailNickname: `Burst-${i}` }));
    await writer.upsertGroup(newGroup({ uniqueName: 'someone-else', mailNickname: 'burst-8' }));
    await emulator.controls.clearRequests();

    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => reader.mailNicknameInUse(`BURST-${i}`, i % 4 === 0 ? `request-${i}` : undefined)),
    );

    // Every fourth is used by its own request's group only; burst-8 also by another group.
    expect(answers.flatMap((inUse, i) => (inUse ? [i] : []))).toEqual([8]);
    // Asked in one turn of the event loop, they go as one $batch of three filters of at most 15.
    const trips = await roundTrips(emulator);
    expect(trips.total).toBe(1);
    expect(trips.requests[0].batchParts).toHaveLength(3);
  });

  it('sends the checks of creations started in separate turns of the event loop together', async () => {
    const reader = new GraphDirectoryReader({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY });
    await writer.upsertGroup(newGroup({ uniqueName: 'someone-else', mailNickname: 'spaced-3' }));
    await emulator.controls.clearRequests();

    const checks: Promise<boolean>[] = [];
    for (let i = 0; i < 5; i++) {
      checks.push(reader.mailNicknameInUse(`spaced-${i}`, `request-${i}`));
      // Each in a turn of the event loop of its own, as the creations of separate clicks start.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(checks)).toEqual([false, false, false, true, false]);
    expect((await roundTrips(emulator)).total).toBe(1);

    await emulator.controls.clearRequests();
    expect(await reader.mailNicknameInUse('spaced-3')).toBe(true);
    expect((await roundTrips(emulator)).total).toBe(1);
  });

  it("sends a creation's check once no other came, without waiting out the window, and keeps checks asked close together in one send", async () => {
    // A window longer than a test may take (60 s): only the quiet after the last check can send them.
    const lookups = new NicknameLookups(
      new GraphTransport({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY }, 'bot'),
      120_000,
    );
    await writer.upsertGroup(newGroup({ uniqueName: 'someone-else', mailNickname: 'quiet-1' }));
    await emulator.controls.clearRequests();

    const checks: Promise<GroupUsingNickname[]>[] = [];
    for (let i = 0; i < 3; i++) {
      checks.push(lookups.groupsUsing(`quiet-${i}`, true));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const found = await Promise.all(checks);

    expect(found.map((groups) => groups.map((group) => group.uniqueName))).toEqual([[], ['someone-else'], []]);
    expect((await roundTrips(emulator)).total).toBe(1);
  });
});
