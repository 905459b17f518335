import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
/** By URL, so the program runs from any working folder. */
const TSX = pathToFileURL(require.resolve('tsx')).href;
const STORE_SETTINGS = ['STORE', 'SQLITE_PATH', 'AZURE_STORAGE_CONNECTION_STRING', 'AZURE_TABLE_PREFIX'];

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command line program from its source, as `npm run cli` does, with only `settings` for the store. */
export function runCli(args: string[], settings: Record<string, string>, cwd = ROOT): Promise<CliRun> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !STORE_SETTINGS.includes(name)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, MAIN, ...args],
      { cwd, env: { ...env, ...settings }, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

export { MAIN, TSX };
