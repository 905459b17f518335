import { odata, TableClient, type TransactionAction } from '@azure/data-tables';
import { performance } from 'node:perf_hooks';
import { startAzuriteTables } from '../test/support/azuriteTables';

/**
 * Azurite alone, no bot: what one read or write costs as its table grows. Entities of 100 to a
 * partition fill each table (entity group transactions of 100), one partition holds all the
 * others' size too; then point reads, one-partition queries and replaces are timed against those
 * of the smallest table. The bot's store only makes reads and writes of these kinds, so whatever
 * grows here grows in Azurite itself.
 */

const SIZES = [1_000, 10_000, 100_000];
const QUICK_SIZES = [1_000, 10_000];
const PARTITION = 100;
const SAMPLES = 200;
const WRITERS = 8;

interface Figures {
  size: number;
  fillSeconds: number;
  pointRead: number;
  pointReadInLargePartition: number;
  partitionQuery: number;
  replace: number;
}

async function timedP50(times: number, call: (index: number) => Promise<unknown>): Promise<number> {
  const took: number[] = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await call(index);
    took.push(performance.now() - started);
  }
  took.sort((a, b) => a - b);
  return took[Math.floor(took.length / 2)];
}

/** `size` entities: half in partitions of 100, half in one partition of their own. */
async function fill(table: TableClient, size: number): Promise<void> {
  const half = Math.floor(size / 2);
  const batches: TransactionAction[][] = [];
  for (let start = 0; start < half; start += PARTITION) {
    batches.push(
      Array.from({ length: Math.min(PARTITION, half - start) }, (_, i): TransactionAction => [
        'create',
        { partitionKey: `p${start / PARTITION}`, rowKey: `r${i}`, payload: 'x'.repeat(200) },
      ]),
    );
  }
  for (let start = 0; start < size - half; start += PARTITION) {
    batches.push(
      Array.from({ length: Math.min(PARTITION, size - half - start) }, (_, i): TransactionAction => [
        'create',
        { partitionKey: 'large', rowKey: `r${String(start + i).padStart(7, '0')}`, payload: 'x'.repeat(200) },
      ]),
    );
  }
  let next = 0;
  const writer = async () => {
    while (next < batches.length) await table.submitTransaction(batches[next++]);
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
}

async function measure(connectionString: string, size: number): Promise<Figures> {
  const table = TableClient.fromConnectionString(connectionString, `emulator${size}`, { allowInsecureConnection: true });
  await table.createTable();
  const started = performance.now();
  await fill(table, size);
  const fillSeconds = (performance.now() - started) / 1000;
  const partitions = Math.floor(size / 2 / PARTITION);
  const pointRead = await timedP50(SAMPLES, (i) => table.getEntity(`p${i % partitions}`, `r${i % PARTITION}`));
  const pointReadInLargePartition = await timedP50(SAMPLES, (i) =>
    table.getEntity('large', `r${String((i * 7919) % (size - Math.floor(size / 2))).padStart(7, '0')}`),
  );
  const partitionQuery = await timedP50(SAMPLES, async (i) => {
    const filter = odata`PartitionKey eq ${`p${i % partitions}`} and RowKey ge ${'r1'} and RowKey lt ${'r2'}`;
    for await (const entity of table.listEntities({ queryOptions: { filter } })) void entity;
  });
  const replace = await timedP50(SAMPLES, (i) =>
    table.updateEntity({ partitionKey: `p${i % partitions}`, rowKey: `r${i % PARTITION}`, payload: 'y'.repeat(200) }, 'Replace'),
  );
  return { size, fillSeconds, pointRead, pointReadInLargePartition, partitionQuery, replace };
}

export async function run(flags: readonly string[] = []): Promise<void> {
  const sizes = flags.includes('--quick') ? QUICK_SIZES : SIZES;
  const azurite = await startAzuriteTables();
  const rows: Figures[] = [];
  try {
    for (const size of sizes) rows.push(await measure(azurite.connectionString, size));
  } finally {
    await azurite.stop();
  }
  const [first] = rows;
  const ratio = (value: number, base: number) => `${(value / base).toFixed(1)}×`;
  console.log(`Azurite alone (in memory), p50 of ${SAMPLES} calls each, × = against the ${first.size.toLocaleString('en')}-entity table:`);
  for (const row of rows) {
    console.log(
      `  ${row.size.toLocaleString('en').padStart(8)} entities (filled in ${row.fillSeconds.toFixed(0).padStart(3)} s): ` +
        `point read ${row.pointRead.toFixed(1)} ms (${ratio(row.pointRead, first.pointRead)})   ` +
        `point read in a partition of ${Math.ceil(row.size / 2).toLocaleString('en')} ${row.pointReadInLargePartition.toFixed(1)} ms (${ratio(row.pointReadInLargePartition, first.pointReadInLargePartition)})   ` +
        `range query of a 100-entity partition ${row.partitionQuery.toFixed(1)} ms (${ratio(row.partitionQuery, first.partitionQuery)})   ` +
        `replace in a 100-entity partition ${row.replace.toFixed(1)} ms (${ratio(row.replace, first.replace)})`,
    );
  }
  console.log(
    '  (Azurite finds a point read by scanning its partition, answers every query by scanning the whole table, and moves every index entry of the table on each replace or delete)',
  );
}
