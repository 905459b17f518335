import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A running Azurite table service of our own, on a loopback port, keeping everything in memory. */
export interface AzuriteTables {
  connectionString: string;
  pid: number;
  stop(): Promise<void>;
}

/** Azurite's published development account: not a secret. */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const STARTED = 'successfully started';
const START_TIMEOUT_MS = 30_000;

export async function startAzuriteTables(): Promise<AzuriteTables> {
  // Its working folder is a fresh temp folder, so nothing it might write lands in the repository.
  const folder = await mkdtemp(join(tmpdir(), 'azurite-tables-'));
  let lastError: Error | undefined;
  // A free port can be taken between the probe and Azurite's bind; a few tries cover that race.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeLoopbackPort();
    try {
      const child = await launch(folder, port);
      return {
        connectionString:
          `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};` +
          `TableEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`,
        pid: child.pid!,
        stop: async () => {
          await stopProcess(child);
          await rm(folder, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error as Error;
    }
  }
  await rm(folder, { recursive: true, force: true });
  throw lastError;
}

function launch(folder: string, port: number): Promise<ChildProcess> {
  const main = join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table', 'main.js');
  const args = ['--tableHost', '127.0.0.1', '--tablePort', String(port), '--inMemoryPersistence', '--disableTelemetry', '--silent'];
  const child = spawn(process.execPath, [main, ...args], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(STARTED)) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stderr!.removeAllListeners('data');
        // Keep draining so a chatty Azurite never blocks on a full pipe.
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code} before it listened on port ${port}:\n${output}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(child.pid!, 'SIGTERM');
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
