import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { GroupRequest } from '../src/requests/groupRequest';
import { openRequestStore, type RequestStoreOptions } from '../src/storage/openRequestStore';
import { SqliteRequestStore } from '../src/storage/sqliteRequestStore';
import { TableRequestStore } from '../src/storage/tableRequestStore';
import { sampleRequest } from '../test/storage/sampleRequest';

/** Requests are written this many at a time: one SQLite transaction, or one round of Azure batches. */
const CHUNK = 10_000;
/** Other people's requests: a few hundred requesters, as in a tenant, each with their share. */
const REQUESTERS = Array.from({ length: 500 }, () => randomUUID());

export interface Seeded {
  /** How many requests the store holds. */
  count: number;
  ms: number;
  /** Set when the budget ran out before `wanted` were written. */
  stoppedEarly?: string;
}

/**
 * `index`-th request of other people: even ones still open, odd ones created. The open ones wait
 * for a retry (failed): they hold their nickname as any open request does, and are not among the
 * 100 waiting cards the bot posts again when the approvals channel is chosen, which would fill
 * the channel's Teams rate before the measured submissions post theirs.
 */
function otherRequest(index: number): GroupRequest {
  const sample = sampleRequest({ memberCount: 1, requesterId: REQUESTERS[index % REQUESTERS.length] });
  // The whole id: open requests hold their nickname, and 50,000 short ones would collide.
  const spec = { ...sample.spec, mailNickname: `bench-${sample.id}` };
  return { ...sample, spec, status: index % 2 === 0 ? 'failed' : 'created' };
}

/**
 * Fills a new store with `wanted` requests of other people, half of them open, through the
 * stores' bulk writes, until done or `budgetMs` is spent.
 */
export async function seedStore(options: RequestStoreOptions, wanted: number, budgetMs: number): Promise<Seeded> {
  const store = await openRequestStore(options);
  if (!(store instanceof SqliteRequestStore || store instanceof TableRequestStore)) throw new Error('This store has no bulk write.');
  const started = performance.now();
  let count = 0;
  try {
    while (count < wanted) {
      const elapsed = performance.now() - started;
      if (elapsed > budgetMs) {
        const rate = count / (elapsed / 1000);
        return {
          count,
          ms: elapsed,
          stoppedEarly: `filling stopped after ${(elapsed / 1000).toFixed(0)} s at ${rate.toFixed(0)} requests/s; ${wanted.toLocaleString('en')} would take ${(wanted / rate / 60).toFixed(0)} min`,
        };
      }
      const size = Math.min(CHUNK, wanted - count);
      await store.insertMany(Array.from({ length: size }, (_, i) => otherRequest(count + i)));
      count += size;
    }
  } finally {
    await store.close();
  }
  return { count, ms: performance.now() - started };
}
