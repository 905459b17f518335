import { GUEST_USER, USER_WITH_DIFFERENT_MAIL } from '../../src/dev/fixtures/wellKnown';
import { loadFixture, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { GraphDirectoryReader } from '../../src/graph/directoryReader';
import { BOT_APP_ID } from '../../src/dev/fixtures/wellKnown';
import { FAST_RETRY, credentialFor, roundTrips, startTestEmulator } from './graphHarness';

describe('resolving requested users against the Graph emulator', () => {
  let emulator: RunningGraphEmulator;
  let reader: GraphDirectoryReader;
  const fixtureUsers = loadFixture().users;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    reader = new GraphDirectoryReader({ credential: credentialFor('app', BOT_APP_ID), baseUrl: emulator.url, retry: FAST_RETRY });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  it('resolves 150 references in two batched round trips and reports every unknown one exactly as typed', async () => {
    const known = fixtureUsers.map((user, index) =>
      index % 3 === 0 ? String(user.userPrincipalName).toUpperCase() : String(user.userPrincipalName),
    );
    const unknown = Array.from({ length: 150 - known.length }, (_, index) => `Nobody.${index}@Contoso.com`);
    const references = [...known, ...unknown];

    const lookup = await reader.resolveUsers(references);

    expect(lookup.found.map((principal) => principal.id).sort()).toEqual(fixtureUsers.map((user) => user.id).sort());
    expect(lookup.missing).toEqual(unknown);
    const found = lookup.found.find((principal) => principal.id === fixtureUsers[0].id);
    expect(found).toEqual({ id: fixtureUsers[0].id, displayName: fixtureUsers[0].displayName, reference: known[0], kind: 'user' });
    // 150 references, 7 per filter: 22 queries, 20 per JSON batch.
    const trips = await roundTrips(emulator);
    expect(trips.total).toBe(2);
    expect(trips.batches).toBe(2);
    expect(trips.requests.map((request) => request.batchParts?.length)).toEqual([20, 2]);
  });

  it('finds users by mail when it differs from their UPN, guests included', async () => {
    const lookup = await reader.resolveUsers(['Alex.Wilber@contoso.com', 'kwame.mensah@fabrikam.com', 'alexw@contoso.com']);
    expect(lookup.missing).toEqual([]);
    expect(lookup.found).toEqual([
      {
        id: USER_WITH_DIFFERENT_MAIL.id,
        displayName: USER_WITH_DIFFERENT_MAIL.displayName,
        reference: 'Alex.Wilber@contoso.com',
        kind: 'user',
      },
      { id: GUEST_USER.id, displayName: GUEST_USER.displayName, reference: 'kwame.mensah@fabrikam.com', kind: 'user', guest: true },
    ]);
  });

  it('reports text that is no address as missing without asking Graph, and copes with quotes', async () => {
    const lookup = await reader.resolveUsers(['Megan Bowen', "o'brien@contoso.com"]);
    expect(lookup).toEqual({ found: [], missing: ['Megan Bowen', "o'brien@contoso.com"] });
    const trips = await roundTrips(emulator);
    expect(trips.requests[0].batchParts).toHaveLength(1);
  });

  it('makes no call at all for an empty list', async () => {
    expect(await reader.resolveUsers([])).toEqual({ found: [], missing: [] });
    expect((await roundTrips(emulator)).total).toBe(0);
  });
});
