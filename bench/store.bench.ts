import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RequestStore } from '../src/requests/requestStore';
import { SqliteRequestStore } from '../src/storage/sqliteRequestStore';
import { TableRequestStore } from '../src/storage/tableRequestStore';
import { startAzuriteTables } from '../test/support/azuriteTables';
import { nextVersionOf, sampleRequest } from '../test/storage/sampleRequest';

interface StoreFigures {
  store: string;
  insertsPerSecond: number;
  replacesPerSecond: number;
  bigRoundTripMs: number;
}

/** Sequential writes, as one bot instance issues them: each awaits the previous one. */
async function measure(name: string, store: RequestStore, count: number): Promise<StoreFigures> {
  const requests = Array.from({ length: count }, () => sampleRequest({ memberCount: 5 }));
  const nextVersions = requests.map((request) => nextVersionOf(request, { status: 'approved' }));

  let started = performance.now();
  for (const request of requests) await store.insert(request);
  const insertsPerSecond = count / ((performance.now() - started) / 1000);

  started = performance.now();
  for (let index = 0; index < count; index++) await store.replace(requests[index], nextVersions[index]);
  const replacesPerSecond = count / ((performance.now() - started) / 1000);

  const big = sampleRequest({ memberCount: 5000 });
  started = performance.now();
  await store.insert(big);
  await store.get(big.id);
  const bigRoundTripMs = performance.now() - started;

  return { store: name, insertsPerSecond, replacesPerSecond, bigRoundTripMs };
}

async function sqliteFigures(): Promise<StoreFigures> {
  const folder = await mkdtemp(join(tmpdir(), 'store-bench-'));
  const store = await SqliteRequestStore.open({ path: join(folder, 'requests.sqlite') });
  try {
    return await measure('SQLite (WAL, file)', store, 2000);
  } finally {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  }
}

async function azuriteFigures(): Promise<StoreFigures> {
  const azurite = await startAzuriteTables();
  try {
    const store = await TableRequestStore.open({
      connectionString: azurite.connectionString,
      requestsTable: 'benchRequests',
      settingsTable: 'benchSettings',
      draftsTable: 'benchDrafts',
      outboxTable: 'benchOutbox',
    });
    return await measure('Azure Tables (local emulator)', store, 200);
  } finally {
    await azurite.stop();
  }
}

function print(figures: StoreFigures): void {
  console.log(
    `  ${figures.store.padEnd(30)} ${figures.insertsPerSecond.toFixed(0).padStart(7)} inserts/s` +
      `  ${figures.replacesPerSecond.toFixed(0).padStart(7)} conditional replaces/s` +
      `  5,000-member insert+get ${figures.bigRoundTripMs.toFixed(0)} ms`,
  );
}

export async function run(): Promise<void> {
  console.log('Request stores (sequential, 5-member requests):');
  const sqlite = await sqliteFigures();
  print(sqlite);
  const tables = await azuriteFigures();
  print(tables);
  console.log(
    `  SQLite / emulator: inserts x${(sqlite.insertsPerSecond / tables.insertsPerSecond).toFixed(1)}, ` +
      `replaces x${(sqlite.replacesPerSecond / tables.replacesPerSecond).toFixed(1)} ` +
      '(the emulator runs locally; a real account adds network latency to every call)',
  );
}
