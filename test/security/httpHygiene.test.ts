import express from 'express';
import type { Server } from 'node:http';
import pino from 'pino';
import { REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { ACTIVITY_BODY_LIMIT_BYTES } from '../../src/http/bodyLimit';
import { problemHandler } from '../../src/http/httpProblem';
import { PERSONAL_REQUESTER, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardText, type TeamsUser } from '../support/teamsChannel';

/**
 * What anyone who can reach the bot's address gets back from it over HTTP: a short JSON answer
 * that tells a careless caller what was wrong and a hostile one nothing about the machine.
 */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const BOT_APP_ID = '6e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function post(
  url: string,
  body: string | Buffer | undefined,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The answer is JSON naming `code`, and shows no stack frame, file path or framework page. */
function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, contentType: answer.contentType }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/json/),
  });
  const body = JSON.parse(answer.text);
  expect(body.error).toEqual({ code, message: expect.any(String) });
  expect(answer.text).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|\/src\/|<html|<pre>|Error:/i);
}

function activity(text: string): object {
  return {
    type: 'message',
    id: 'hygiene-1',
    text,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    from: { id: 'user-1', aadObjectId: REQUESTER.id },
    conversation: { id: 'a:hygiene', conversationType: 'personal' },
    recipient: { id: 'bot' },
  };
}

describe('the bot on loopback, with no app id', () => {
  let t: BotUnderTest;
  let messages: string;

  beforeAll(async () => {
    t = await startBotUnderTest('app');
    messages = `${t.bot.url}/api/messages`;
  });
  afterAll(() => t.stop());

  it('answers malformed JSON with 400 malformedJson', async () => {
    expectProblem(await post(messages, '{"type": "message", "text": '), 400, 'malformedJson');
  });

  it('answers an empty body, or none at all, with 400 emptyBody', async () => {
    expectProblem(await post(messages, ''), 400, 'emptyBody');
    expectProblem(await post(messages, undefined, {}), 400, 'emptyBody');
  });

  it('answers JSON that is not an activity with 400 notAnActivity', async () => {
    for (const body of ['[]', '{}', '{"type": 7}', '{"text": "help"}']) expectProblem(await post(messages, body), 400, 'notAnActivity');
  });

  it('answers a body that is not JSON with 415', async () => {
    expectProblem(
      await post(messages, 'type=message', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupportedMediaType',
    );
  });

  it('answers a body over the limit with 413 bodyTooLarge, and stays up', async () => {
    const huge = JSON.stringify(activity('x'.repeat(1024 * 1024)));
    expectProblem(await post(messages, huge), 413, 'bodyTooLarge');
    expect((await fetch(`${t.bot.url}/healthz`)).status).toBe(200);
  });

  it('still reads the largest message Teams sends: 100 KB as UTF-16, in three-byte UTF-8 characters', async () => {
    // 51,200 UTF-16 code units, each three bytes in UTF-8: about 150 KB on the wire.
    const largest = '語'.repeat(51_200);
    expect(Buffer.byteLength(JSON.stringify(activity(largest)))).toBeLessThan(ACTIVITY_BODY_LIMIT_BYTES);
    const replies = await t.teams.say(requester, PERSONAL_REQUESTER, largest);
    expect(replies.map((reply) => `${reply.text ?? ''}${cardText(reply.attachments?.[0]?.content)}`).join('\n')).toMatch(/new group/);
  });

  it('answers an address it does not serve with 404 in JSON', async () => {
    const answer = await fetch(`${t.bot.url}/api/nothing`);
    expectProblem(
      { status: answer.status, contentType: answer.headers.get('content-type') ?? '', text: await answer.text() },
      404,
      'notFound',
    );
  });

  it('is ready while its store answers, and says it is not once the store is gone', async () => {
    const ready = await fetch(`${t.bot.url}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ready' } });
    await t.bot.store.close();
    const gone = await fetch(`${t.bot.url}/readyz`);
    const text = await gone.text();
    expect({ status: gone.status, body: JSON.parse(text) }).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'The request store could not be read.' },
    });
    expect(text).not.toMatch(/sqlite|\.db|\/tmp\//i);
    // The process itself is still alive: a platform restarts it only if /healthz stops answering.
    expect((await fetch(`${t.bot.url}/healthz`)).status).toBe(200);
  });
});

describe('the bot with an app id, as deployed', () => {
  let t: BotUnderTest;

  beforeAll(async () => {
    t = await startBotUnderTest('app', { BOT_ID: BOT_APP_ID, BOT_PASSWORD: 'secret', BOT_TYPE: 'SingleTenant' });
  });
  afterAll(() => t.stop());

  it('refuses a caller without a bearer token with 401 before reading the body, whatever its size or shape', async () => {
    const messages = `${t.bot.url}/api/messages`;
    for (const body of [JSON.stringify(activity('x'.repeat(2 * 1024 * 1024))), '{"type": ', '']) {
      expectProblem(await post(messages, body), 401, 'unauthenticated');
    }
    expect(t.teams.sent).toHaveLength(0);
  });

  it('refuses a bearer token the Bot Framework did not issue, without saying why in detail', async () => {
    const answer = await post(`${t.bot.url}/api/messages`, JSON.stringify(activity('help')), {
      'content-type': 'application/json',
      authorization: 'Bearer not-a-token',
    });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toMatch(/\bat \S+ \(|node_modules|\/work\//);
    expect(t.teams.sent).toHaveLength(0);
  });
});

describe('an error nobody expected', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = express();
    app.get('/fails', () => {
      throw new Error(`ENOENT: no such file or directory, open '${__filename}'`);
    });
    app.use(problemHandler(pino({ level: 'silent' })));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is answered 500 in JSON without its message, stack or paths, which stay in the log', async () => {
    const answer = await fetch(`${url}/fails`);
    const text = await answer.text();
    expect({ status: answer.status, body: JSON.parse(text) }).toEqual({
      status: 500,
      body: { error: { code: 'internalError', message: 'The bot could not handle this request; the error is in its log.' } },
    });
    expect(text).not.toContain('ENOENT');
  });
});
