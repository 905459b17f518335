import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { ACTIVITY_BODY_LIMIT_BYTES } from './bodyLimit';
import { answerProblem, problemHandler } from './httpProblem';
import { checkReadiness, type ReadinessSources } from './readiness';

export interface BotHttpOptions extends ReadinessSources {
  /** Set when activities must carry a Bot Framework token (every deployment; only local runs have none). */
  requireToken: boolean;
  /** Hands a parsed activity to the Bot Framework adapter, which validates the token and answers. */
  processActivity(req: Request, res: Response): Promise<void>;
  log: Logger;
}

/**
 * The bot's HTTP surface: /api/messages for Teams, /healthz (the process answers) and /readyz
 * (it can serve: the store answers and it is not stopping). Every refusal is JSON.
 */
export function createBotHttpApp(options: BotHttpOptions): Express {
  const http = express();
  http.disable('x-powered-by');

  http.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  http.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(options);
    if (readiness.ready) {
      res.json({ status: 'ready' });
      return;
    }
    if (readiness.error !== undefined) options.log.warn({ err: readiness.error }, 'not ready: the request store could not be read');
    res.status(503).json({ status: 'unavailable', reason: readiness.reason });
  });

  http.post(
    '/api/messages',
    refuseBeforeReading(options.requireToken),
    express.json({ limit: ACTIVITY_BODY_LIMIT_BYTES, strict: true }),
    requireActivity,
    async (req, res) => {
      await options.processActivity(req, res);
    },
  );

  http.use((_req, res) => answerProblem(res, 404, 'notFound', 'Nothing is served at this address; Teams posts to /api/messages.'));
  http.use(problemHandler(options.log));
  return http;
}

/**
 * What can be refused from the headers alone, before any byte of the body is read: a caller
 * without a bearer token, a body that is not JSON, an empty body. The token itself is validated
 * by the adapter once the body is parsed, because the check compares its claims with the
 * activity's serviceUrl; the body limit bounds what an unauthenticated caller can make us parse.
 */
function refuseBeforeReading(requireToken: boolean): RequestHandler {
  return (req, res, next) => {
    if (requireToken && !/^Bearer \S+$/.test(req.get('authorization') ?? '')) {
      answerProblem(res, 401, 'unauthenticated', 'Activities must carry a Bot Framework bearer token.');
      return;
    }
    // req.is answers null when the request has no body at all.
    const json = req.is('application/json');
    if (json === null || req.get('content-length') === '0') {
      answerProblem(res, 400, 'emptyBody', 'The request has no body; Teams posts one activity as JSON.');
      return;
    }
    if (json === false) {
      answerProblem(res, 415, 'unsupportedMediaType', 'The body must be JSON (Content-Type: application/json).');
      return;
    }
    next();
  };
}

const requireActivity: RequestHandler = (req, res, next) => {
  const body: unknown = req.body;
  const isActivity =
    typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { type?: unknown }).type === 'string';
  if (!isActivity) {
    answerProblem(res, 400, 'notAnActivity', 'The body is not a Bot Framework activity: a JSON object with a "type".');
    return;
  }
  next();
};
