import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OwnedProcess } from './childProcess';

const ROOT = join(__dirname, '..', '..');

export interface RunningBotProcess {
  /** http://127.0.0.1:<port>/api/messages */
  endpoint: string;
  logFile: string;
  /** Resolves when the process has ended: stopped, or by itself (the CRASH_AT test hook). */
  exited(): Promise<number | NodeJS.Signals | null>;
  stop(): Promise<void>;
}

/** The bot as `src/index.ts` runs it in production, in its own process, ready once /healthz answers. */
export async function startBotProcess(options: {
  port: number;
  env: Record<string, string>;
  logFolder: string;
}): Promise<RunningBotProcess> {
  const origin = `http://127.0.0.1:${options.port}`;
  const logFile = join(options.logFolder, 'bot.log');
  const child = OwnedProcess.start('The bot', ['--import', 'tsx', join(ROOT, 'src', 'index.ts')], {
    cwd: ROOT,
    logFile,
    env: { ...process.env, ...options.env, HOST: '127.0.0.1', PORT: String(options.port) },
  });
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (!child.running) throw child.failure('exited while starting');
    try {
      if ((await fetch(`${origin}/healthz`)).ok) {
        return { endpoint: `${origin}/api/messages`, logFile, exited: () => child.exited(), stop: () => child.stop() };
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await child.stop();
  throw child.failure('did not answer /healthz within a minute');
}
