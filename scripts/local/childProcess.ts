import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A process the launcher started and must stop: its output goes to a log file. */
export class OwnedProcess {
  private recent = '';
  private readonly exit: Promise<void>;

  private constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    const log = createWriteStream(logFile, { flags: 'a' });
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      this.recent = (this.recent + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', () => log.end(() => resolve())));
  }

  static start(name: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): OwnedProcess {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new OwnedProcess(name, options.logFile, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when it has ended, by itself or stopped, with its exit code or the signal that ended it. */
  async exited(): Promise<number | NodeJS.Signals | null> {
    await this.exit;
    return this.child.signalCode ?? this.child.exitCode;
  }

  /** The end of what it printed, to explain a failure. */
  get output(): string {
    return this.recent;
  }

  /** Resolves with the first match of `pattern` in its output; fails if it exits or takes too long. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.recent.match(pattern);
        if (match) finish(() => resolve(match));
        else if (!this.running) finish(() => reject(this.failure('exited while starting')));
      };
      const timer = setTimeout(() => finish(() => reject(this.failure(`printed no ${pattern} within ${timeoutMs} ms`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.child.stdout?.off('data', check);
        this.child.stderr?.off('data', check);
        this.child.off('exit', check);
        settle();
      };
      this.child.stdout?.on('data', check);
      this.child.stderr?.on('data', check);
      this.child.on('exit', check);
      check();
    });
  }

  failure(what: string): Error {
    const tail = this.recent.trim().split('\n').slice(-20).join('\n');
    return new Error(`${this.name} ${what}\nLog: ${this.logFile}${tail ? `\nIt printed last:\n${tail}` : ''}`);
  }

  /** SIGTERM, then SIGKILL if it has not ended after `graceMs`. */
  async stop(graceMs = 10000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exit;
      clearTimeout(timer);
    }
    await this.exit;
  }
}
