import type { RuleKind } from './ast';
import type { DirectoryObject } from './graphMapping';

/** What the main thread and an evaluation thread say to each other (structured-clone data only). */

export interface PreviewExample {
  id: string;
  displayName: string;
}

export type ToEvaluationThread =
  /** Compile this valid rule; the pages that follow are evaluated with it. */
  | { type: 'compile'; rule: string; kind: RuleKind; now: number; exampleCount: number }
  | { type: 'page'; objects: readonly DirectoryObject[] };

export type FromEvaluationThread =
  /** The thread has loaded the rules code and takes work. */
  | { type: 'ready' }
  | { type: 'compiled' }
  | { type: 'unsupportedPattern'; pattern: string; feature: string }
  /** Counts since the previous message; `pageDone` closes the page. */
  | { type: 'counted'; scanned: number; matched: number; examples: PreviewExample[]; pageDone: boolean }
  | { type: 'failed'; message: string };
