import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The bot as its own process (src/index.ts), so a test can kill it and start it again. */
export class BotProcess {
  private child?: ChildProcess;
  output = '';

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'index.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...extraEnv, PORT: String(this.port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk) => (this.output += chunk));
    child.stderr?.on('data', (chunk) => (this.output += chunk));
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null || child.signalCode) throw new Error(`The bot exited at start:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`The bot did not start:\n${this.output}`);
  }

  /** Resolves when the process has ended by itself (a crash point) or after it was stopped. */
  exited(): Promise<number | string | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return Promise.resolve(child?.exitCode ?? child?.signalCode ?? null);
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && !child.signalCode) {
      child.kill('SIGTERM');
      await this.exited();
    }
  }
}
