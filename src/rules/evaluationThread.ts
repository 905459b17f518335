import { parentPort } from 'node:worker_threads';
import { UnsupportedPatternError } from './errors';
import { type CompiledRule, compileRule } from './evaluator';
import type { FromEvaluationThread, PreviewExample, ToEvaluationThread } from './evaluationMessages';
import { type DirectoryObject, identify } from './graphMapping';

/**
 * The body of an evaluation thread: compiles a rule and counts the objects of each page it is
 * sent. It reports every few hundred objects, so counts stay honest when the main thread stops
 * it halfway through a page.
 */

/** How many objects are evaluated between two reports. */
const REPORT_STRIDE = 256;

const port = parentPort;
if (!port) throw new Error('evaluationThread runs only as a worker thread.');

let current: { compiled: CompiledRule; examplesLeft: number } | undefined;

function send(message: FromEvaluationThread): void {
  port?.postMessage(message);
}

function compile(message: Extract<ToEvaluationThread, { type: 'compile' }>): void {
  try {
    current = { compiled: compileRule(message.rule, message.kind, { now: new Date(message.now) }), examplesLeft: message.exampleCount };
    send({ type: 'compiled' });
  } catch (error) {
    current = undefined;
    if (error instanceof UnsupportedPatternError) send({ type: 'unsupportedPattern', pattern: error.pattern, feature: error.feature });
    else send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

function count(objects: readonly DirectoryObject[]): void {
  if (!current) {
    send({ type: 'failed', message: 'A page arrived before a rule was compiled.' });
    return;
  }
  let scanned = 0;
  let matched = 0;
  let examples: PreviewExample[] = [];
  for (let i = 0; i < objects.length; i++) {
    scanned++;
    if (current.compiled.matches(objects[i])) {
      matched++;
      if (current.examplesLeft > 0) {
        current.examplesLeft--;
        examples.push(identify(objects[i]));
      }
    }
    if (scanned === REPORT_STRIDE && i < objects.length - 1) {
      send({ type: 'counted', scanned, matched, examples, pageDone: false });
      scanned = 0;
      matched = 0;
      examples = [];
    }
  }
  send({ type: 'counted', scanned, matched, examples, pageDone: true });
}

port.on('message', (message: ToEvaluationThread) => {
  if (message.type === 'compile') compile(message);
  else count(message.objects);
});
send({ type: 'ready' });
