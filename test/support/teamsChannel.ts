import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  APPROVER,
  GLOBAL_ADMIN,
  INTUNE_ADMIN,
  NESTED_APPROVER,
  REQUESTER,
  TENANT_ID,
  USER_WITH_DIFFERENT_MAIL,
} from '../../src/dev/fixtures/wellKnown';
import { ConnectorRateLimits, MAX_MESSAGE_BYTES, utf16Bytes } from './connectorLimits';
import { TeamRosters, teamsUserId } from './teamRosters';

/** The id Teams gives a person's personal chat with the bot, in these tests. */
export function personalChatOf(aadObjectId: string): string {
  return `a:personal-${aadObjectId}`;
}

/** The bot as Teams names it in activities. */
const BOT_ACCOUNT = { id: '28:bot', name: 'Entra Group Requests' };

/** A person in the test tenant, as Teams would name them in activities. */
export interface TeamsUser {
  aadObjectId: string;
  name: string;
}

/** A directory person of the sample tenant as Teams names them in activities. */
export function teamsUser(person: { id: string; displayName: string }): TeamsUser {
  return { aadObjectId: person.id, name: person.displayName };
}

export interface Conversation {
  id: string;
  conversationType: 'personal' | 'channel' | 'groupChat';
}

/** An activity the bot sent to Teams, or a later version of one it updated. */
export interface SentActivity {
  id: string;
  conversationId: string;
  type: string;
  text?: string;
  attachments?: { contentType: string; content: any }[];
  /** The activity this one answers, for replies within a turn; absent for proactive messages. */
  replyToId?: string;
  /**
   * The channel message whose thread this one was posted in: Teams' conversation id
   * `<channel id>;messageid=<parent message id>` names a thread of the channel.
   */
  thread?: string;
  updated: boolean;
  /** The size Teams limits: the request body as UTF-16. */
  utf16Bytes: number;
}

/** What Teams adds to a click after signing the clicker in. */
export interface SignIn {
  token?: string;
  state?: string;
  activity?: Record<string, unknown>;
}

export interface InvokeAnswer {
  status: number;
  body: any;
}

/** A call the Bot Connector refused, with the status and error code Teams documents for it. */
export interface Refusal {
  status: number;
  code: string;
  method: string;
  conversationId: string;
  retryAfterSeconds?: number;
}

/**
 * One message as Teams keeps it: what every viewer sees (the message as last sent or edited),
 * and, per person, the card their own client shows after they clicked on it. An invoke's
 * answer reaches only the clicker's client; an edit reaches every client, the clicker's too.
 */
interface Message {
  everyone: SentActivity;
  clients: Map<string, any>;
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The team of the sample tenant's channels, with its well-known people: a requester, approvers and others. */
const SAMPLE_TEAM_ID = '19:it-operations@thread.tacv2';
const SAMPLE_TEAM = [REQUESTER, APPROVER, INTUNE_ADMIN, NESTED_APPROVER, GLOBAL_ADMIN, USER_WITH_DIFFERENT_MAIL];

/** A card's refresh without `userIds` reaches everyone only in conversations this small. */
const MAX_REFRESHED_WITHOUT_USER_IDS = 60;

/**
 * Stands in for the Teams channel service over real HTTP: posts Teams-shaped activities and
 * invokes to the bot's /api/messages and records what the bot sends back through the
 * Bot Connector API (replies, proactive messages, updates).
 */
export class TeamsChannel {
  readonly sent: SentActivity[] = [];
  /** People the bot opened a personal chat with. */
  readonly opened: { id: string; aadObjectId?: string }[] = [];
  /** People (by aadObjectId) who have not installed the app for themselves: no personal chat can be opened with them. */
  readonly withoutPersonalApp = new Set<string>();
  /** Calls refused for their size or their rate, as Teams would. */
  readonly refused: Refusal[] = [];
  /** The teams the bot is installed in and their members, for roster requests; channels not declared are the sample team's. */
  readonly rosters = new TeamRosters(SAMPLE_TEAM_ID);
  private readonly messages = new Map<string, Message>();
  private readonly limits = new ConnectorRateLimits();
  private server?: Server;
  serviceUrl = '';

  constructor(
    private readonly botUrl: string,
    private readonly tenantId = TENANT_ID,
  ) {
    this.rosters.add(
      SAMPLE_TEAM_ID,
      [],
      SAMPLE_TEAM.map((person) => ({ aadObjectId: person.id, name: person.displayName, userPrincipalName: person.userPrincipalName })),
    );
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(req.url ?? '')) {
          // The bot opens a personal chat: Teams answers with that chat's id.
          const member = JSON.parse(body).members?.[0];
          if (this.withoutPersonalApp.has(member?.aadObjectId)) {
            // Teams refuses a personal chat with someone who has not installed the app.
            res
              .writeHead(403, { 'content-type': 'application/json' })
              .end(JSON.stringify({ error: { code: 'Forbidden', message: 'The bot is not part of the conversation roster.' } }));
            return;
          }
          this.opened.push(member);
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ id: personalChatOf(member?.aadObjectId ?? member?.id) }));
          return;
        }
        const roster = req.url?.match(/^\/v3\/conversations\/([^/?]+)\/pagedmembers(?:\?(.*))?$/);
        if (req.method === 'GET' && roster) {
          const { status, body } = this.rosters.answer(decodeURIComponent(roster[1]), new URLSearchParams(roster[2] ?? ''), this.tenantId);
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
          return;
        }
        const match = req.url?.match(/\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/);
        if (!match) {
          res.writeHead(404).end();
          return;
        }
        const [conversationId, thread] = decodeURIComponent(match[1]).split(';messageid=');
        const updated = req.method === 'PUT';
        if (thread !== undefined && !this.messages.has(thread)) {
          // Teams knows no thread under a message that was never posted.
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 'NotFound', message: 'Unknown thread' } }));
          return;
        }
        const refusal = this.refusal(req.method ?? '', conversationId, body, updated ? decodeURIComponent(match[2]) : undefined);
        if (refusal) {
          this.refused.push(refusal);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (refusal.retryAfterSeconds) headers['retry-after'] = String(refusal.retryAfterSeconds);
          res
            .writeHead(refusal.status, headers)
            .end(JSON.stringify({ error: { code: refusal.code, message: `Refused: ${refusal.code}` } }));
          return;
        }
        const activity = JSON.parse(body || '{}');
        const id = updated ? decodeURIComponent(match[2]) : randomUUID();
        const sent: SentActivity = {
          id,
          conversationId,
          type: activity.type,
          text: activity.text,
          attachments: activity.attachments,
          replyToId: activity.replyToId,
          ...(thread !== undefined ? { thread } : {}),
          updated,
          utf16Bytes: utf16Bytes(body),
        };
        this.sent.push(sent);
        this.messages.set(id, { everyone: sent, clients: new Map() });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  /** Why Teams would refuse this send or update, if it would: unknown message, size, then rate. */
  private refusal(method: string, conversationId: string, body: string, updating?: string): Refusal | undefined {
    if (updating !== undefined && !this.messages.has(updating)) return { status: 404, code: 'NotFound', method, conversationId };
    if (utf16Bytes(body) > MAX_MESSAGE_BYTES) return { status: 413, code: 'MessageSizeTooBig', method, conversationId };
    const retryAfterSeconds = this.limits.admit(conversationId);
    if (retryAfterSeconds) return { status: 429, code: 'TooManyRequests', method, conversationId, retryAfterSeconds };
    return undefined;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private activity(user: TeamsUser, conversation: Conversation, fields: object) {
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: teamsUserId(user.aadObjectId), name: user.name, aadObjectId: user.aadObjectId },
      recipient: BOT_ACCOUNT,
      conversation: {
        id: conversation.id,
        conversationType: conversation.conversationType,
        tenantId: this.tenantId,
        isGroup: conversation.conversationType !== 'personal',
      },
      channelData: {
        tenant: { id: this.tenantId },
        ...(conversation.conversationType === 'channel'
          ? { channel: { id: conversation.id }, team: { id: this.rosters.teamOf(conversation.id) ?? SAMPLE_TEAM_ID } }
          : {}),
      },
      ...fields,
    };
  }

  private async post(activity: object): Promise<InvokeAnswer> {
    const response = await fetch(`${this.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    // A bot that failed its turn (a reply Teams refused, say) may answer 500 with its error as plain text.
    const json = response.headers.get('content-type')?.includes('json');
    return { status: response.status, body: text ? (json ? JSON.parse(text) : text) : undefined };
  }

  /** Sends a message and returns the messages the bot replied to it with in that turn. */
  async say(user: TeamsUser, conversation: Conversation, text: string, fields: object = {}): Promise<SentActivity[]> {
    return (await this.send(user, conversation, text, fields)).replies;
  }

  /** Sends a message: the HTTP status the bot answered the post with, and what it replied in that turn. */
  async send(
    user: TeamsUser,
    conversation: Conversation,
    text: string,
    fields: object = {},
  ): Promise<{ status: number; replies: SentActivity[] }> {
    const message = this.activity(user, conversation, { type: 'message', text, ...fields });
    const { status } = await this.post(message);
    // A typing indicator the bot may send while it works is not a reply.
    return { status, replies: this.sent.filter((a) => a.replyToId === message.id && a.type === 'message') };
  }

  /**
   * Sends a message that @mentions the bot, shaped as Teams delivers it in channels and group
   * chats: HTML text `<at>name</at>&nbsp;…` with entities escaped, and a mention entity.
   */
  async sayToBot(user: TeamsUser, conversation: Conversation, text: string): Promise<SentActivity[]> {
    const tag = `<at>${BOT_ACCOUNT.name}</at>`;
    const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return this.say(user, conversation, `${tag}&nbsp;${html}`, {
      textFormat: 'plain',
      entities: [{ type: 'mention', text: tag, mentioned: BOT_ACCOUNT }],
    });
  }

  /**
   * Clicks an Action.Execute on the card in activity `cardActivityId`, with the inputs and data it
   * carries; the clicker's client shows the answer. `token`: what Teams attaches after silent SSO
   * (`value.authentication.token`); `state`: the code of a sign-in at the token service's page;
   * `activity`: fields Teams would set otherwise.
   */
  async click(
    user: TeamsUser,
    conversation: Conversation,
    cardActivityId: string,
    verb: string,
    data: object,
    signIn: SignIn = {},
  ): Promise<InvokeAnswer> {
    const { answer, show } = await this.clickHeld(user, conversation, cardActivityId, verb, data, signIn);
    show();
    return answer;
  }

  /**
   * Clicks, but the answer reaches the clicker's client only when `show` is called: the network
   * may bring it after an edit of the same message, which Teams does not put in order.
   */
  async clickHeld(
    user: TeamsUser,
    conversation: Conversation,
    cardActivityId: string,
    verb: string,
    data: object,
    signIn: SignIn = {},
  ): Promise<{ answer: InvokeAnswer; show(): void }> {
    const answer = await this.invoke(user, conversation, cardActivityId, { type: 'Action.Execute', verb, data }, 'manual', signIn);
    return { answer, show: () => this.showAnswer(user, cardActivityId, answer) };
  }

  private invoke(
    user: TeamsUser,
    conversation: Conversation,
    cardActivityId: string,
    action: object,
    trigger: 'manual' | 'automatic',
    signIn: SignIn = {},
  ) {
    return this.post({
      ...this.activity(user, conversation, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: cardActivityId,
        value: {
          action,
          trigger,
          ...(signIn.token ? { authentication: { token: signIn.token } } : {}),
          ...(signIn.state ? { state: signIn.state } : {}),
        },
      }),
      ...signIn.activity,
    });
  }

  /** An answer with a card replaces the card in the clicker's client only. */
  private showAnswer(user: TeamsUser, activityId: string, answer: InvokeAnswer): void {
    if (answer.body?.type !== ADAPTIVE_CARD) return;
    this.messages.get(activityId)?.clients.set(user.aadObjectId, answer.body.value);
  }

  /** The card `user`'s own client shows for a message: their last answer, else what everyone sees. */
  shownTo(user: TeamsUser, activityId: string): any {
    const message = this.messages.get(activityId);
    return message?.clients.get(user.aadObjectId) ?? message?.everyone.attachments?.[0]?.content;
  }

  /**
   * `user` looks at the message. A card whose `refresh` names them (by their Teams user id, in
   * `userIds`) is refreshed: Teams sends its action as an automatic invoke and shows the answer.
   * Without `userIds`, Teams refreshes it for everyone in a conversation of at most 60 people
   * (Universal Actions, user-specific views); everyone else sees the card as last sent or edited.
   */
  async view(user: TeamsUser, conversation: Conversation, activityId: string): Promise<any> {
    const shown = this.shownTo(user, activityId);
    const refresh = shown?.refresh;
    if (refresh?.action?.type === 'Action.Execute' && this.refreshes(refresh.userIds, user, conversation)) {
      const answer = await this.invoke(user, conversation, activityId, refresh.action, 'automatic');
      this.showAnswer(user, activityId, answer);
    }
    return this.shownTo(user, activityId);
  }

  private refreshes(userIds: unknown, user: TeamsUser, conversation: Conversation): boolean {
    if (Array.isArray(userIds)) return userIds.includes(teamsUserId(user.aadObjectId));
    const people = conversation.conversationType === 'personal' ? 1 : this.rosters.membersOf(conversation.id)?.length;
    return people !== undefined && people <= MAX_REFRESHED_WITHOUT_USER_IDS;
  }

  /** How many times the bot edited a message. */
  updatesOf(activityId: string): number {
    return this.sent.filter((a) => a.id === activityId && a.updated).length;
  }

  /** The latest version of an activity the bot sent (after any updates). */
  latest(activityId: string): SentActivity | undefined {
    return [...this.sent].reverse().find((a) => a.id === activityId);
  }

  cardsIn(conversationId: string): SentActivity[] {
    return this.sent.filter((a) => a.conversationId === conversationId && !a.updated && a.attachments?.length);
  }
}

/** A Markdown link not escaped by a backslash, as Teams renders it: its text only. */
const MARKDOWN_LINK = /(^|[^\\])\[([^\]]*)\]\([^)]*\)/g;
/** A backslash before ASCII punctuation shows the punctuation only (CommonMark). */
const MARKDOWN_ESCAPE = /\\([!-/:-@[-`{-~])/g;

/** Markdown as a person reads it in Teams: links show their text, escaped characters show as typed. */
export function renderedText(markdown: string): string {
  return markdown.replace(MARKDOWN_LINK, '$1$2').replace(MARKDOWN_ESCAPE, '$1');
}

/** The text of every TextBlock and fact of a card, for assertions a person would make by reading it. */
export function cardText(card: any): string {
  const parts: string[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'TextBlock') parts.push(renderedText(node.text));
    if (node.type === 'FactSet') node.facts.forEach((f: any) => parts.push(`${renderedText(f.title)}: ${renderedText(f.value)}`));
    if (typeof node.title === 'string' && String(node.type).startsWith('Action.')) parts.push(`[${node.title}]`);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return parts.join('\n');
}

/** The request id a status or approval card shows, as "Request: <id>"; tests follow a request by it. */
export function requestIdOf(card: any): string {
  return cardText(card).match(/Request: ([A-Z0-9]+)/)?.[1] as string;
}

/** What the clicker reads in an invoke's answer: the card's text, or the message the bot answered with. */
export function answerText(answer: InvokeAnswer): string {
  const value = answer.body?.value;
  return typeof value === 'string' ? value : cardText(value);
}

/** The data an Action.Execute with `verb` carries on a card; Teams sends it merged with the card's inputs. */
export function actionData(card: any, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: any) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'Action.Execute' && node.verb === verb) found = node.data ?? {};
    Object.values(node).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error(`The card has no ${verb} action.`);
  return found;
}

/** What Teams sends for a card's inputs on a click: each input's id and its current value. */
export function inputValues(card: any): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (String(node.type).startsWith('Input.') && typeof node.id === 'string' && node.value !== undefined)
      values[node.id] = String(node.value);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return values;
}

/** The Action.Execute buttons with `verb` on a card, with their titles and data. */
export function actionsOf(card: any, verb: string): { title: string; data: Record<string, unknown> }[] {
  const found: { title: string; data: Record<string, unknown> }[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'Action.Execute' && node.verb === verb) found.push({ title: node.title, data: node.data ?? {} });
    Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
}
