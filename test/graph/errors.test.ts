import { APPROVER, BOT_APP_ID, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import type { RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { GraphDirectoryReader } from '../../src/graph/directoryReader';
import { GraphGroupWriter } from '../../src/graph/groupWriter';
import { DirectoryError, type NewGroup } from '../../src/requests/directory';
import { FAST_RETRY, credentialFor, startTestEmulator } from './graphHarness';

/** What an admin reads when Graph says no, for each way it says it. */
describe('Graph errors told as DirectoryErrors', () => {
  let emulator: RunningGraphEmulator;
  const group: NewGroup = {
    uniqueName: 'entra-group-request-errors',
    displayName: 'Autopilot Device Prep - Users',
    mailNickname: 'autopilot-dp-users',
    description: 'Users of the device preparation policy.',
    membershipType: 'assigned',
    ownerIds: [],
    memberIds: [],
  };
  const writerAs = (userId: string) =>
    new GraphGroupWriter({ credential: credentialFor('user', userId), baseUrl: emulator.url, retry: FAST_RETRY });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as DirectoryError,
    );

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  it('tells that the approving admin lacks the rights to create groups', async () => {
    const error = await failureOf(writerAs(REQUESTER.id).upsertGroup(group));
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error).toMatchObject({ code: 'Authorization_RequestDenied', transient: false });
    expect(error.message).toBe(
      'The approving admin lacks the rights to create groups: they need Groups Administrator (or a similar role) and the Group.ReadWrite.All permission must be consented.',
    );
    expect(await emulator.controls.groups()).toHaveLength(6);
  });

  it("keeps Graph's own words when it refuses a property", async () => {
    const error = await failureOf(writerAs(APPROVER.id).upsertGroup({ ...group, mailNickname: 'autopilot users' }));
    expect(error).toMatchObject({ code: 'Request_BadRequest', transient: false });
    expect(error.message).toBe(
      `Microsoft Graph refused to create the group. Microsoft Graph says: "Invalid value specified for property 'mailNickname' of resource 'Group'."`,
    );
  });

  it('says an object could not be found when a member id does not exist', async () => {
    const error = await failureOf(writerAs(APPROVER.id).upsertGroup({ ...group, memberIds: ['0b7c2e64-8d4f-4a55-b0ad-000000000000'] }));
    expect(error).toMatchObject({ code: 'Request_ResourceNotFound', transient: false });
    expect(error.message).toMatch(
      /^Microsoft Graph could not find an object needed to create the group: it may have been deleted, or its id is wrong\./,
    );
  });

  it('fails every member with the reason when the group is gone', async () => {
    const result = await writerAs(APPROVER.id).addMembers('6a1b1f43-0000-4000-8000-000000000000', [REQUESTER.id]);
    expect(result.added).toEqual([]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0].error).toMatchObject({ code: 'Request_ResourceNotFound' });
  });

  it("names the bot's app registration when Graph refuses its token", async () => {
    const reader = new GraphDirectoryReader({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY });
    const stranger = new GraphDirectoryReader({
      credential: { getToken: async () => ({ token: 'not-a-token', expiresOnTimestamp: Date.now() + 60_000 }) },
      baseUrl: emulator.url,
      retry: FAST_RETRY,
    });
    expect(await reader.mailNicknameInUse('group-request-approvers')).toBe(true);
    const error = await failureOf(stranger.mailNicknameInUse('group-request-approvers'));
    expect(error).toMatchObject({ code: 'InvalidAuthenticationToken', transient: false });
    expect(error.message).toMatch(/refused the access token of the bot's app registration/);
  });

  it('passes on the credential’s own DirectoryError untouched', async () => {
    const signIn = new DirectoryError('sign_in_required', 'Sign in when Teams asks, then approve again.');
    const writer = new GraphGroupWriter({
      credential: {
        getToken: async () => {
          throw signIn;
        },
      },
      baseUrl: emulator.url,
      retry: FAST_RETRY,
    });
    expect(await failureOf(writer.upsertGroup(group))).toBe(signIn);
  });

  it('tells a denial to a writer running as the bot as a missing Graph permission, not a missing role', async () => {
    const writer = new GraphGroupWriter({
      credential: credentialFor('user', REQUESTER.id),
      baseUrl: emulator.url,
      retry: FAST_RETRY,
      identity: 'bot',
    });
    const error = await failureOf(writer.upsertGroup(group));
    expect(error.message).toMatch(
      /The bot's app registration lacks the Microsoft Graph permission to create the group: an admin must grant and consent Group.ReadWrite.All/,
    );
  });
});
