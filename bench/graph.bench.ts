import { performance } from 'node:perf_hooks';
import { APPROVER, BOT_APP_ID } from '../src/dev/fixtures/wellKnown';
import { loadFixture, startGraphEmulator, type RunningGraphEmulator } from '../src/dev/graphEmulator';
import { GraphDirectoryReader } from '../src/graph/directoryReader';
import { GraphGroupWriter, MAX_BINDS_ON_CREATE } from '../src/graph/groupWriter';
import { MAX_BATCH_PARTS } from '../src/graph/graphTransport';
import { MEMBERS_PER_PATCH } from '../src/graph/memberAdds';
import { REFERENCES_PER_QUERY } from '../src/graph/userResolution';
import { authenticateTestCaller, credentialFor } from '../test/graph/graphHarness';

/**
 * Graph round trips and wall time to resolve members and create groups of 10, 1,000 and 10,000
 * members against the emulator with a fixed latency per round trip, beside the fewest round
 * trips Graph's limits allow (20 binds on create, 20 members per PATCH, 20 requests per $batch).
 */

const SIZES = [10, 1_000, 10_000];
const LATENCY_MS = 25;

const ceilDiv = (a: number, b: number) => Math.ceil(Math.max(0, a) / b);

function generatedUsers(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-b000-${String(i).padStart(12, '0')}`,
    displayName: `Bench User ${i}`,
    userPrincipalName: `bench.${i}@contoso.com`,
    mail: `bench.${i}@contoso.com`,
  }));
}

async function measure(emulator: RunningGraphEmulator, work: () => Promise<void>) {
  await emulator.controls.clearRequests();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  const requests = await emulator.controls.requests();
  return { ms, roundTrips: requests.length, parts: requests.reduce((sum, request) => sum + (request.batchParts?.length ?? 0), 0) };
}

export async function run(): Promise<void> {
  const users = generatedUsers(Math.max(...SIZES));
  const fixture = loadFixture();
  fixture.users.push(...users);
  const emulator = await startGraphEmulator({ authenticate: authenticateTestCaller, fixture });
  try {
    await emulator.controls.setLatency(LATENCY_MS);
    const options = { baseUrl: emulator.url, retry: { baseDelayMs: 50, timeoutMs: 60_000 } };
    const reader = new GraphDirectoryReader({ ...options, credential: credentialFor('app', BOT_APP_ID) });
    const writer = new GraphGroupWriter({ ...options, credential: credentialFor('user', APPROVER.id) });
    console.log(`Emulated Graph latency: ${LATENCY_MS} ms per round trip; one owner per group.\n`);
    console.log('operation                 members  round trips  minimum  batched parts   wall ms   ms/member');
    const line = (name: string, n: number, figures: { ms: number; roundTrips: number; parts: number }, minimum: number) =>
      console.log(
        `${name.padEnd(24)} ${String(n).padStart(8)} ${String(figures.roundTrips).padStart(12)} ${String(minimum).padStart(8)} ${String(figures.parts).padStart(14)} ${figures.ms.toFixed(0).padStart(9)} ${(figures.ms / n).toFixed(3).padStart(11)}`,
      );

    for (const n of SIZES) {
      const members = users.slice(0, n);
      const resolve = await measure(emulator, async () => {
        const lookup = await reader.resolveUsers(members.map((user) => user.userPrincipalName));
        if (lookup.missing.length > 0) throw new Error(`${lookup.missing.length} bench users were not found`);
      });
      line('resolve users', n, resolve, ceilDiv(ceilDiv(n, REFERENCES_PER_QUERY), MAX_BATCH_PARTS));

      const create = await measure(emulator, async () => {
        const { group, boundMembers } = await writer.upsertGroup({
          uniqueName: `bench-group-${n}`,
          displayName: `Bench group of ${n}`,
          mailNickname: `bench-group-${n}`,
          description: '',
          membershipType: 'assigned',
          ownerIds: [APPROVER.id],
          memberIds: members.map((user) => user.id),
        });
        const rest = members.map((user) => user.id).filter((id) => !boundMembers.includes(id));
        const result = await writer.addMembers(group.id, rest);
        if (result.failed.length > 0) throw new Error(`${result.failed.length} members were not added`);
      });
      const patches = ceilDiv(n - (MAX_BINDS_ON_CREATE - 1), MEMBERS_PER_PATCH);
      line('create group + members', n, create, 1 + ceilDiv(patches, MAX_BATCH_PARTS));
    }
    console.log(
      '\nminimum: resolve = ceil(ceil(n/7)/20) batches; create = 1 PATCH /groups(uniqueName=…) upsert + ceil(ceil((n-19)/20)/20) batches of PATCHes.',
    );
  } finally {
    await emulator.stop();
  }
}
