import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';

/** What every refusal of the HTTP endpoint answers: a stable code and a sentence, never a stack or a path. */
export type HttpProblemCode =
  | 'unauthenticated'
  | 'unsupportedMediaType'
  | 'emptyBody'
  | 'malformedJson'
  | 'bodyTooLarge'
  | 'notAnActivity'
  | 'notFound'
  | 'internalError';

export function answerProblem(res: Response, status: number, code: HttpProblemCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** body-parser's error types (its `type` field) and what a caller is told about each. */
const BODY_PROBLEMS: Record<string, { status: number; code: HttpProblemCode; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'malformedJson', message: 'The body is not valid JSON.' },
  'entity.too.large': { status: 413, code: 'bodyTooLarge', message: 'The body is larger than any Teams activity.' },
  'request.size.invalid': { status: 400, code: 'malformedJson', message: 'The body is shorter or longer than its Content-Length says.' },
  'request.aborted': { status: 400, code: 'malformedJson', message: 'The body ended before it was complete.' },
  'encoding.unsupported': {
    status: 415,
    code: 'unsupportedMediaType',
    message: 'The body must be JSON in UTF-8, without content encoding.',
  },
  'charset.unsupported': { status: 415, code: 'unsupportedMediaType', message: 'The body must be JSON in UTF-8.' },
};

/**
 * The last handler: a body the parser refused gets its own answer; anything else is logged in
 * full here and answered with a plain 500, since its message may name files or internals.
 */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const bodyProblem = typeof error === 'object' && error !== null && 'type' in error ? BODY_PROBLEMS[String(error.type)] : undefined;
    if (bodyProblem) {
      answerProblem(res, bodyProblem.status, bodyProblem.code, bodyProblem.message);
      return;
    }
    log.error({ err: error, method: req.method, path: req.path }, 'request failed');
    answerProblem(res, 500, 'internalError', 'The bot could not handle this request; the error is in its log.');
  };
}
