import type { RuleKind } from './ast';
import { type CompiledRule, compileRule } from './evaluator';
import { type DirectoryObject, identify } from './graphMapping';

/**
 * Counts how many directory objects a rule would select, reading pages the caller supplies
 * (for example paged Graph reads) until they run out, the time budget is spent, or the page
 * limit is reached. Nothing here knows where the pages come from.
 */

export interface PreviewOptions {
  /** Time budget for the whole scan, in milliseconds from the call. */
  deadlineMs: number;
  /** How many matching objects to return as examples. */
  exampleCount: number;
  /** Stop after this many pages (the scan is then incomplete). */
  maxPages?: number;
  /** The moment `system.now` stands for. */
  now?: Date;
}

export interface PreviewExample {
  id: string;
  displayName: string;
}

export interface RulePreview {
  matched: number;
  scanned: number;
  /** The first matching objects, in the order read. */
  examples: PreviewExample[];
  /** True when every page was read; false when the deadline or the page limit cut the scan. */
  complete: boolean;
  /** Why an incomplete scan stopped. */
  stoppedBy?: 'deadline' | 'pageLimit';
}

const TIMED_OUT = Symbol('timed out');
/** How many objects are evaluated between two looks at the clock. */
const CLOCK_STRIDE = 256;

/** Throws InvalidRuleError when the rule is not a valid rule of that kind; errors from `pages` pass through. */
export async function previewRule(
  rule: string | CompiledRule,
  kind: RuleKind,
  pages: AsyncIterable<readonly DirectoryObject[]>,
  options: PreviewOptions,
): Promise<RulePreview> {
  const compiled = typeof rule === 'string' ? compileRule(rule, kind, { now: options.now }) : rule;
  const deadline = Date.now() + options.deadlineMs;
  const result: RulePreview = { matched: 0, scanned: 0, examples: [], complete: false };
  const iterator = pages[Symbol.asyncIterator]();
  let pagesRead = 0;
  try {
    for (;;) {
      if (options.maxPages !== undefined && pagesRead >= options.maxPages) {
        result.stoppedBy = 'pageLimit';
        break;
      }
      const next = await within(iterator.next(), deadline - Date.now());
      if (next === TIMED_OUT) {
        result.stoppedBy = 'deadline';
        break;
      }
      if (next.done) {
        result.complete = true;
        break;
      }
      pagesRead++;
      if (!scanPage(next.value, compiled, result, options.exampleCount, deadline)) {
        result.stoppedBy = 'deadline';
        break;
      }
    }
  } finally {
    // Let the producer stop fetching; it may still be busy with a read we no longer wait for.
    if (!result.complete) iterator.return?.()?.catch(() => undefined);
  }
  return result;
}

/** Evaluates one page; false when the deadline passed before the page was finished. */
function scanPage(
  page: readonly DirectoryObject[],
  compiled: CompiledRule,
  result: RulePreview,
  exampleCount: number,
  deadline: number,
): boolean {
  for (let i = 0; i < page.length; i++) {
    if (i % CLOCK_STRIDE === CLOCK_STRIDE - 1 && Date.now() > deadline) return false;
    const object = page[i];
    result.scanned++;
    if (!compiled.matches(object)) continue;
    result.matched++;
    if (result.examples.length < exampleCount) result.examples.push(identify(object));
  }
  return true;
}

function within<T>(promise: Promise<T>, milliseconds: number): Promise<T | typeof TIMED_OUT> {
  if (milliseconds <= 0) {
    promise.catch(() => undefined);
    return Promise.resolve(TIMED_OUT);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), milliseconds);
  });
  // A read that fails after we stopped waiting must not become an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
