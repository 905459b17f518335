import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, TSX } from './exportCli';
import { seedLargeStore } from './seedLargeStore';

const REQUESTS = 100_000;
/**
 * The program streaming pages of 100 peaks near 150 MB (Node, the TypeScript loader, SQLite's
 * cache); the same 100,000 requests read into memory at once take over 1 GB.
 */
const PEAK_BOUND_BYTES = 400 * 1024 * 1024;
const PEAK_MEMORY = join(__dirname, '../support/reportPeakMemory.ts');

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'export-memory-'));
});

afterAll(() => rm(folder, { recursive: true, force: true }));

/** Runs the export as its own process, counting what it writes without keeping it; resolves with its peak memory. */
function exportCounting(path: string): Promise<{ status: number | null; records: number; lastLine: string; peakBytes: number }> {
  const peakFile = join(folder, 'peak');
  const child = spawn(process.execPath, ['--import', TSX, '--import', PEAK_MEMORY, MAIN, 'requests', 'export', '--format', 'jsonl'], {
    env: { ...process.env, STORE: 'sqlite', SQLITE_PATH: path, PEAK_MEMORY_FILE: peakFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let records = 0;
  let tail = '';
  let lastLine = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (tail + chunk).split('\n');
    tail = lines.pop()!;
    records += lines.length;
    if (lines.length > 0) lastLine = lines[lines.length - 1];
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', async (status) => {
      const peakBytes = Number(await readFile(peakFile, 'utf8'));
      resolve({ status, records, lastLine, peakBytes });
    });
  });
}

test(
  'exports 100,000 requests from SQLite in bounded memory, every one of them',
  async () => {
    const path = join(folder, 'requests.db');
    await seedLargeStore(path, REQUESTS, 10);

    const run = await exportCounting(path);

    expect(run.status).toBe(0);
    expect(run.records).toBe(REQUESTS);
    expect(JSON.parse(run.lastLine)).toMatchObject({ id: `R${String(REQUESTS - 1).padStart(9, '0')}`, status: 'created' });
    expect(run.peakBytes).toBeGreaterThan(0);
    expect(run.peakBytes).toBeLessThan(PEAK_BOUND_BYTES);
  },
  10 * 60 * 1000,
);
