/**
 * A stand-in bot process for the multi-process test: appends `count` audit entries to one request,
 * each through get + conditional replace, retrying when another process wrote first.
 * Usage: node --require tsx/cjs sqliteIncrementWorker.ts <file> <requestId> <count> <name>
 */
import { VersionConflictError } from '../../src/requests/requestStore';
import { SqliteRequestStore } from '../../src/storage/sqliteRequestStore';
import { nextVersionOf } from './sampleRequest';

async function main(): Promise<void> {
  const [path, requestId, count, name] = process.argv.slice(2);
  const store = await SqliteRequestStore.open({ path });
  let conflicts = 0;
  for (let done = 0; done < Number(count);) {
    const current = (await store.get(requestId))!;
    const next = nextVersionOf(current);
    next.audit.push({ at: next.updatedAt, actor: 'system', action: `${name}-${done}`, to: current.status });
    try {
      await store.replace(current, next);
      done++;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      conflicts++;
    }
  }
  await store.close();
  process.stdout.write(JSON.stringify({ conflicts }));
}

main().catch((error: Error) => {
  process.stderr.write(error.stack ?? String(error));
  process.exit(1);
});
