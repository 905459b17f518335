import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InteractiveSignIn, TokenEndpointAnswer } from '../entraTokenService';
import { type EntraEndpoint, exchangeOnBehalfOf } from './entraOnBehalfOf';
import { type TokenExchangeState, readTokenExchangeState } from './tokenExchangeState';

/** An OAuth connection of an Azure Bot (Microsoft Entra ID v2 provider with token exchange). */
export interface OAuthConnection {
  name: string;
  /** The Azure Bot it belongs to: the `msAppId` of the token exchange state. */
  botAppId: string;
  /** The app registration it signs people in with, and its secret. */
  clientId: string;
  clientSecret: string;
  /** The Application ID URI Teams SSO tokens for this connection are addressed to. */
  tokenExchangeUrl: string;
}

export interface BotTokenServiceOptions {
  port?: number;
  connections: OAuthConnection[];
  entra: EntraEndpoint;
  /** Entra's sign-in page for the connection's app, reached from the link this service hands out. */
  signInAtEntra(signIn: InteractiveSignIn): TokenEndpointAnswer;
}

export type SignInOutcome = { ok: true; code: string } | { ok: false; error: string };

export interface BotTokenService {
  /** Pass to the bot as its OAuth API endpoint (`BOT_OAUTH_ENDPOINT`). */
  url: string;
  /**
   * A person follows a sign-in link this service handed out and signs in at Entra: the magic
   * code the page then shows (which Teams sends back in `value.state`), or why there is none.
   */
  completeSignIn(signInLink: string, person: Omit<InteractiveSignIn, 'clientId'>): SignInOutcome;
  /** An admin deletes an OAuth connection from the Azure Bot. */
  removeConnection(name: string): void;
  stop(): Promise<void>;
}

interface HeldToken {
  token: string;
  expiresAt: number;
}

/** A magic code lives a few minutes and is redeemed once, by the user and connection it was made for. */
const CODE_LIFETIME_MS = 5 * 60_000;
const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 64 * 1024;

function sendJson(response: ServerResponse, status: number, body?: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(body === undefined ? '' : JSON.stringify(body));
}

const badRequest = (response: ServerResponse, message: string) => sendJson(response, 400, { error: { code: 'BadArgument', message } });

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const chunk of request) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > MAX_BODY_BYTES) return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Bot Framework token service (token.botframework.com) for local runs and tests, over plain
 * HTTP on 127.0.0.1: sign-in resources, the SSO token exchange and tokens by magic code, as
 * botbuilder's token API client calls them. Local bots have no Bot Framework credentials, so the
 * caller's bearer token is not checked; the token exchange state is.
 */
export async function startBotTokenService(options: BotTokenServiceOptions): Promise<BotTokenService> {
  const pendingSignIns = new Map<string, TokenExchangeState>();
  const codes = new Map<string, { state: TokenExchangeState; held: HeldToken; until: number }>();
  const held = new Map<string, HeldToken>();
  const key = (userId: string, connectionName: string, channelId: string) => `${userId}|${connectionName}|${channelId}`;
  const connections = [...options.connections];
  const connection = (name: string | null) => connections.find((c) => c.name === name);

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${HOST}`);
    const route = `${request.method} ${url.pathname.toLowerCase()}`;
    const query = (name: string) => url.searchParams.get(name);

    if (route === 'GET /api/botsignin/getsigninresource') {
      const state = readTokenExchangeState(query('state'));
      if (!state) return badRequest(response, 'The state parameter is missing or is not a token exchange state.');
      const found = connection(state.connectionName);
      if (!found || found.botAppId.toLowerCase() !== state.msAppId.toLowerCase()) {
        return badRequest(response, `The bot ${state.msAppId} has no OAuth connection named '${state.connectionName}'.`);
      }
      const signInId = randomUUID();
      pendingSignIns.set(signInId, state);
      return sendJson(response, 200, {
        signInLink: `${origin}/api/oauth/signin?signin=${signInId}`,
        tokenExchangeResource: { id: randomUUID(), uri: found.tokenExchangeUrl, providerId: 'aadv2' },
      });
    }

    if (route === 'GET /api/usertoken/gettoken') {
      const [userId, connectionName, channelId, code] = ['userId', 'connectionName', 'channelId', 'code'].map(query);
      if (!userId || !connectionName || !channelId) return badRequest(response, 'userId, connectionName and channelId are required.');
      const tokenKey = key(userId, connectionName, channelId);
      if (code) {
        const redeemed = codes.get(code);
        codes.delete(code);
        const matches =
          redeemed &&
          redeemed.until > Date.now() &&
          key(redeemed.state.userId, redeemed.state.connectionName, redeemed.state.channelId) === tokenKey;
        if (!matches) return sendJson(response, 404);
        held.set(tokenKey, redeemed.held);
      }
      const token = held.get(tokenKey);
      if (!token || token.expiresAt <= Date.now()) return sendJson(response, 404);
      return sendJson(response, 200, {
        channelId,
        connectionName,
        token: token.token,
        expiration: new Date(token.expiresAt).toISOString(),
      });
    }

    if (route === 'GET /api/usertoken/gettokenstatus') {
      const [userId, channelId, include] = ['userId', 'channelId', 'include'].map(query);
      if (!userId) return badRequest(response, 'userId is required.');
      const included = include ? include.split(',').map((name) => name.trim()) : undefined;
      const listed = connections.filter((c) => !included || included.includes(c.name));
      return sendJson(
        response,
        200,
        listed.map((c) => ({
          channelId: channelId ?? '',
          connectionName: c.name,
          hasToken: held.has(key(userId, c.name, channelId ?? '')),
          serviceProviderDisplayName: 'Azure Active Directory v2',
        })),
      );
    }

    if (route === 'POST /api/usertoken/exchange') {
      const [userId, connectionName, channelId] = ['userId', 'connectionName', 'channelId'].map(query);
      const found = connection(connectionName);
      if (!userId || !channelId || !found) return badRequest(response, 'userId, channelId and a known connectionName are required.');
      void readJson(request)
        .then(async (body) => {
          const ssoToken = typeof body?.token === 'string' ? body.token : undefined;
          if (!ssoToken) return badRequest(response, 'Only a token can be exchanged here.');
          const answer = await exchangeOnBehalfOf(options.entra, found, ssoToken);
          const accessToken = answer.body.access_token;
          if (answer.status !== 200 || typeof accessToken !== 'string') {
            return sendJson(response, 400, {
              error: { code: String(answer.body.error ?? 'ExchangeFailed'), message: String(answer.body.error_description ?? '') },
            });
          }
          const token = { token: accessToken, expiresAt: Date.now() + Number(answer.body.expires_in) * 1000 };
          held.set(key(userId, found.name, channelId), token);
          return sendJson(response, 200, {
            channelId,
            connectionName: found.name,
            token: token.token,
            expiration: new Date(token.expiresAt).toISOString(),
          });
        })
        .catch(() => response.destroy());
      return;
    }
    return sendJson(response, 404, {
      error: { code: 'NotFound', message: `This token service does not serve ${request.method} ${url.pathname}.` },
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const origin = `http://${HOST}:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    completeSignIn(signInLink, person) {
      const signInId = new URL(signInLink).searchParams.get('signin') ?? '';
      const state = pendingSignIns.get(signInId);
      const found = state && connection(state.connectionName);
      if (!state || !found) return { ok: false, error: 'This sign-in link is unknown or was already used.' };
      const answer = options.signInAtEntra({ ...person, clientId: found.clientId });
      const accessToken = answer.body.access_token;
      if (answer.status !== 200 || typeof accessToken !== 'string') return { ok: false, error: String(answer.body.error_description) };
      pendingSignIns.delete(signInId);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      codes.set(code, {
        state,
        held: { token: accessToken, expiresAt: Date.now() + Number(answer.body.expires_in) * 1000 },
        until: Date.now() + CODE_LIFETIME_MS,
      });
      return { ok: true, code };
    },
    removeConnection(name) {
      const index = connections.findIndex((c) => c.name === name);
      if (index >= 0) connections.splice(index, 1);
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
