import { APPROVER, INTUNE_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { loadFixture, type FaultSpec } from '../../src/dev/graphEmulator';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
/** More members than one create request carries, so some go in $batch PATCHes. */
const MEMBERS = loadFixture()
  .users.filter((u) => !u.userPrincipalName.includes('#EXT#'))
  .slice(0, 28);

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app', { GRAPH_TIMEOUT_MS: '1500' });
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());
afterEach(() => t.directory.graph.controls.clearFaults());

/** Submits a request and approves it; `fault` is injected between the two, so only the creation meets it. */
async function approve(displayName: string, fault?: FaultSpec) {
  const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
    displayName,
    members: MEMBERS.map((u) => u.userPrincipalName).join('\n'),
    owners: INTUNE_ADMIN.userPrincipalName,
    justification: 'faults',
  });
  const approval = await approvalCardOf(t.teams, id);
  if (fault) await t.directory.graph.controls.injectFault(fault);
  await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
  await t.bot.settled();
  return { id, approval };
}

async function theOnlyGroup(displayName: string, owners = [INTUNE_ADMIN.id, APPROVER.id]) {
  const groups = (await t.directory.graph.controls.groups()).filter((g) => g.displayName === displayName);
  expect(groups).toHaveLength(1);
  expect([...groups[0].members].sort()).toEqual(MEMBERS.map((u) => u.id).sort());
  expect(new Set(groups[0].owners)).toEqual(new Set(owners));
  return groups[0];
}

describe('creation under Graph faults', () => {
  it('rides out a 429 storm, honouring Retry-After', async () => {
    const { id } = await approve('Throttled', { status: 429, retryAfterSeconds: 1, count: 3, pathPrefix: '/groups' });
    expect((await t.bot.service.get(id))?.status).toBe('created');
    await theOnlyGroup('Throttled');
  });

  it('retries a $batch whose parts fail with 503 and ends with exactly the members', async () => {
    const { id } = await approve('Batch parts failing', { status: 503, target: 'batchPart', count: 2 });
    expect((await t.bot.service.get(id))?.status).toBe('created');
    await theOnlyGroup('Batch parts failing');
  });

  it('a create that timed out although Graph made the group is sent again and finds it: one group, created', async () => {
    const { id } = await approve('Timed out create', { delayMs: 2500, method: 'PATCH', pathPrefix: '/groups(', count: 1 });
    await until('the request to be created', async () => (await t.bot.service.get(id))?.status === 'created');
    await theOnlyGroup('Timed out create');
  });

  it('a 503 after Graph already created the group ends with the one group holding exactly its members', async () => {
    const { id } = await approve('Made then 503', { status: 503, applied: true, method: 'PATCH', pathPrefix: '/groups(', count: 1 });
    expect((await t.bot.service.get(id))?.status).toBe('created');
    const group = await theOnlyGroup('Made then 503');
    expect((await t.bot.service.get(id))?.group?.id).toBe(group.id);
  });

  it("rides out Entra's replication lag on the new group (404 and 400 'do not exist') and ends created", async () => {
    await t.directory.graph.controls.setReplicationLag(1_500);
    await t.directory.graph.controls.clearRequests();
    try {
      const { id } = await approve('Replicating');
      expect((await t.bot.service.get(id))?.status).toBe('created');
      await theOnlyGroup('Replicating');
      const lagged = (await t.directory.graph.controls.requests()).flatMap((r) => r.batchParts ?? []).filter((part) => part.status === 400);
      expect(lagged.length).toBeGreaterThan(0);
    } finally {
      await t.directory.graph.controls.setReplicationLag(0);
    }
  });

  it('reports members that could not be added, and Retry adds only the missing ones', async () => {
    const { id, approval } = await approve('Members missing', { status: 503, target: 'batchPart', count: 50 });
    const failed = await t.bot.service.get(id);
    expect(failed?.status).toBe('failed');
    expect(failed?.failure?.message).toMatch(
      /The group was created, but \d+ members could not be added: [a-z.]+@contoso\.com \(.*Retry adds only the missing ones/,
    );
    await t.directory.graph.controls.clearFaults();
    await t.teams.click({ aadObjectId: INTUNE_ADMIN.id, name: INTUNE_ADMIN.displayName }, APPROVALS_CHANNEL, approval.id, 'retryRequest', {
      requestId: id,
    });
    await t.bot.settled();
    expect((await t.bot.service.get(id))?.status).toBe('created');
    await theOnlyGroup('Members missing');
  });
});
