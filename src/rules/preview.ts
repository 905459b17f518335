import type { RuleKind } from './ast';
import { InvalidRuleError } from './errors';
import type { FromEvaluationThread, PreviewExample } from './evaluationMessages';
import { type EvaluationThread, evaluationThreads } from './evaluationThreads';
import type { DirectoryObject } from './graphMapping';
import { validateRule } from './validator';

export type { PreviewExample } from './evaluationMessages';

/**
 * Counts how many directory objects a rule would select, reading pages the caller supplies
 * (for example paged Graph reads) until they run out, the time budget is spent, or the page
 * limit is reached. Nothing here knows where the pages come from. The rule is evaluated on
 * another thread, which is terminated when the budget is spent: no rule can hold the main
 * thread, and the budget holds even in the middle of a page.
 */

export interface PreviewOptions {
  /** Time budget for the whole preview, in milliseconds from the call. */
  deadlineMs: number;
  /** How many matching objects to return as examples. */
  exampleCount: number;
  /** Stop after this many pages (the scan is then incomplete). */
  maxPages?: number;
  /** The moment `system.now` stands for. */
  now?: Date;
}

export interface RulePreview {
  /** Matches among the objects evaluated: exact when complete, a lower bound otherwise. */
  matched: number;
  /** Objects evaluated. */
  scanned: number;
  /** The first matching objects, in the order read. */
  examples: PreviewExample[];
  /** True when every page was read and evaluated. */
  complete: boolean;
  /** Why an incomplete preview stopped. */
  stoppedBy?: 'deadline' | 'pageLimit' | 'unsupportedPattern' | 'resources';
  /** The -match pattern the preview cannot run (lookaround, backreference…), when stoppedBy says so. */
  unsupportedPattern?: { pattern: string; feature: string };
}

const EXPIRED = Symbol('expired');
/** The thread ended on its own: it ran out of the memory a thread may take. */
const OUT_OF_MEMORY = Symbol('out of memory');

/** The preview's time budget, as a promise every wait races against. */
class Budget {
  private timer?: NodeJS.Timeout;
  readonly expired: Promise<typeof EXPIRED>;

  constructor(milliseconds: number) {
    this.expired = new Promise((resolve) => {
      if (milliseconds <= 0) resolve(EXPIRED);
      else this.timer = setTimeout(() => resolve(EXPIRED), milliseconds);
    });
  }

  within<T>(work: Promise<T>): Promise<T | typeof EXPIRED> {
    // Work that fails after the budget is spent must not become an unhandled rejection.
    work.catch(() => undefined);
    return Promise.race([work, this.expired]);
  }

  end(): void {
    clearTimeout(this.timer);
  }
}

/** Throws InvalidRuleError when the rule is not a valid rule of that kind; errors from `pages` pass through. */
export async function previewRule(
  rule: string,
  kind: RuleKind,
  pages: AsyncIterable<readonly DirectoryObject[]>,
  options: PreviewOptions,
): Promise<RulePreview> {
  const validation = validateRule(rule, kind);
  if (!validation.valid) throw new InvalidRuleError(validation.errors);
  const budget = new Budget(options.deadlineMs);
  const result: RulePreview = { matched: 0, scanned: 0, examples: [], complete: false };
  const thread = evaluationThreads.take();
  const iterator = pages[Symbol.asyncIterator]();
  let threadBusy = false;
  const evaluate = async (work: Promise<FromEvaluationThread>): Promise<FromEvaluationThread | typeof EXPIRED | typeof OUT_OF_MEMORY> => {
    threadBusy = true;
    try {
      const outcome = await budget.within(work);
      threadBusy = outcome === EXPIRED;
      return outcome;
    } catch (error) {
      if (thread.alive) throw error;
      return OUT_OF_MEMORY;
    }
  };
  try {
    const now = (options.now ?? new Date()).getTime();
    const compiled = await evaluate(thread.exchange({ type: 'compile', rule, kind, now, exampleCount: options.exampleCount }, () => true));
    if (compiled === EXPIRED) return { ...result, stoppedBy: 'deadline' };
    if (compiled === OUT_OF_MEMORY) return { ...result, stoppedBy: 'resources' };
    if (compiled.type === 'unsupportedPattern') {
      return { ...result, stoppedBy: 'unsupportedPattern', unsupportedPattern: { pattern: compiled.pattern, feature: compiled.feature } };
    }
    for (let pagesRead = 0; ; pagesRead++) {
      if (options.maxPages !== undefined && pagesRead >= options.maxPages) return { ...result, stoppedBy: 'pageLimit' };
      const next = await budget.within(iterator.next());
      if (next === EXPIRED) return { ...result, stoppedBy: 'deadline' };
      if (next.done) {
        result.complete = true;
        return result;
      }
      const counted = await evaluate(thread.exchange({ type: 'page', objects: next.value }, (answer) => tally(result, answer)));
      if (counted === EXPIRED) return { ...result, stoppedBy: 'deadline' };
      if (counted === OUT_OF_MEMORY) return { ...result, stoppedBy: 'resources' };
    }
  } finally {
    budget.end();
    // Let the producer stop fetching; it may still be busy with a read we no longer wait for.
    if (!result.complete) iterator.return?.()?.catch(() => undefined);
    release(thread, threadBusy);
  }
}

/** Adds a thread's counts to the preview; true when the page is done. */
function tally(result: RulePreview, answer: FromEvaluationThread): boolean {
  if (answer.type !== 'counted') return false;
  result.scanned += answer.scanned;
  result.matched += answer.matched;
  result.examples.push(...answer.examples);
  return answer.pageDone;
}

/** A thread still at work when the budget ran out is terminated: that is what stops a costly rule. */
function release(thread: EvaluationThread, busy: boolean): void {
  if (busy) thread.terminate();
  else evaluationThreads.giveBack(thread);
}
