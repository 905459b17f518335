import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromEvaluationThread, ToEvaluationThread } from './evaluationMessages';

/**
 * Threads that evaluate rules away from the main thread. Whatever a rule costs, the main thread
 * keeps answering: it stops waiting when its budget is spent and terminates the thread, which
 * interrupts even a single long-running match. Once previews are asked for, a thread or two are
 * kept warm, so the next preview does not wait for one to start; they end when previews stop.
 */

// The thread's code sits beside this file: TypeScript under the tests and `tsx`, JavaScript in dist/.
const SOURCE_EXTENSION = extname(__filename);
const ENTRY = join(__dirname, `evaluationThread${SOURCE_EXTENSION}`);
const EXEC_ARGV = SOURCE_EXTENSION === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [];

/** A thread that needs more memory than a page and a compiled rule can take is stopped, not the process. */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256 };
/** Idle threads kept ready between previews. */
const KEPT_IDLE = 2;
/**
 * Idle threads end after this long without a preview: each holds some 11 MiB (a V8 heap and
 * Node's own), which a bot nobody asks for previews should not keep. A later preview starts one
 * again, in tens of milliseconds of its 2.5 s budget.
 */
const IDLE_LIFETIME_MS = 10 * 60_000;

export class EvaluationThread {
  private readonly worker: Worker;
  /** Resolves once the thread has loaded its code. */
  readonly ready: Promise<void>;
  private onAnswer?: (answer: FromEvaluationThread) => void;
  private onFailure?: (error: Error) => void;
  private ended?: Error;
  private onStartFailure?: (error: Error) => void;

  constructor() {
    this.worker = new Worker(ENTRY, { execArgv: EXEC_ARGV, resourceLimits: RESOURCE_LIMITS });
    let loaded: () => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      loaded = resolve;
      this.onStartFailure = reject;
    });
    this.worker.on('message', (answer: FromEvaluationThread) => (answer.type === 'ready' ? loaded() : this.onAnswer?.(answer)));
    this.worker.on('error', (error) => this.end(error));
    this.worker.on('exit', (code) => this.end(new Error(`The rule evaluation thread stopped (exit code ${code}).`)));
    // An idle thread never keeps the process alive once started; exchange() holds it while it works.
    this.ready.then(
      () => {
        if (!this.onAnswer) this.worker.unref();
      },
      () => undefined,
    );
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  /**
   * Sends one message and hands every answer to `handle` until it returns true, then resolves
   * with that answer. A `failed` answer, or the thread's end, rejects.
   */
  exchange(message: ToEvaluationThread, handle: (answer: FromEvaluationThread) => boolean): Promise<FromEvaluationThread> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      const finish = () => {
        this.onAnswer = undefined;
        this.onFailure = undefined;
        this.worker.unref();
      };
      this.onFailure = (error) => {
        finish();
        reject(error);
      };
      this.onAnswer = (answer) => {
        if (answer.type === 'failed') return this.onFailure?.(new Error(`Evaluating the rule failed: ${answer.message}`));
        if (!handle(answer)) return;
        finish();
        resolve(answer);
      };
      // Held while it works, so the process waits for the answer.
      this.worker.ref();
      this.worker.postMessage(message);
    });
  }

  terminate(): void {
    this.end(new Error('The rule evaluation thread was stopped.'));
    this.worker.terminate().catch(() => undefined);
  }

  private end(error: Error): void {
    if (this.ended) return;
    this.ended = error;
    this.onStartFailure?.(error);
    this.onFailure?.(error);
  }
}

class EvaluationThreadPool {
  private idle: EvaluationThread[] = [];
  private retirement?: NodeJS.Timeout;

  /** A thread for one evaluation; give it back when done, or terminate it. */
  take(): EvaluationThread {
    this.idle = this.idle.filter((thread) => thread.alive);
    const thread = this.idle.pop() ?? new EvaluationThread();
    if (this.idle.length === 0) this.idle.push(new EvaluationThread());
    this.retireLater();
    return thread;
  }

  giveBack(thread: EvaluationThread): void {
    if (thread.alive && this.idle.length < KEPT_IDLE) this.idle.push(thread);
    else thread.terminate();
  }

  /** Starts a thread ahead of a preview that may come; resolves when one is ready. */
  async warm(): Promise<void> {
    this.idle = this.idle.filter((thread) => thread.alive);
    if (this.idle.length === 0) this.idle.push(new EvaluationThread());
    this.retireLater();
    await this.idle[0].ready;
  }

  /** Ends the idle threads; a later preview starts new ones. */
  close(): void {
    clearTimeout(this.retirement);
    for (const thread of this.idle) thread.terminate();
    this.idle = [];
  }

  private retireLater(): void {
    clearTimeout(this.retirement);
    this.retirement = setTimeout(() => this.close(), IDLE_LIFETIME_MS);
    this.retirement.unref();
  }
}

export const evaluationThreads = new EvaluationThreadPool();
