import type { ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { GroupRequest } from '../requests/groupRequest';
import type { ConversationPacer } from './outbox/conversationPacer';
import type { ConversationMessenger } from './conversationMessenger';
import type { RequestCardKind } from './cardRefresh';
import type { RequestCardsPublisher } from './requestCardsPublisher';

type Reference = Partial<ConversationReference>;

/** Messages whose last version sent is remembered; the oldest are forgotten first. */
const REMEMBERED_MESSAGES = 10_000;

/**
 * Every edit of a message the bot sent goes through here: paced with everything else the bot
 * sends in that conversation, a request's card drawn from the request as it stands when the edit
 * goes out, and never older than the version this bot last sent to that message. Edits of one
 * conversation run one at a time, so an edit drawn from an older read can never land after a newer one.
 */
export class RequestCardEdits {
  private readonly sentVersions = new Map<string, number>();

  constructor(
    private readonly messenger: ConversationMessenger,
    private readonly pacer: ConversationPacer,
    private readonly cards: RequestCardsPublisher,
    private readonly current: (requestId: string) => Promise<GroupRequest | undefined>,
  ) {}

  /** Brings a message to the request's current card, in its conversation's turn. */
  show(reference: Reference, activityId: string, kind: RequestCardKind, requestId: string): Promise<void> {
    return this.paced(reference, () => this.showNow(reference, activityId, kind, requestId));
  }

  /**
   * The same, for a caller already holding the conversation's turn (the outbox dispatcher). An
   * edit to the version last sent is made again: a click's answer may have overtaken it.
   */
  async showNow(reference: Reference, activityId: string, kind: RequestCardKind, requestId: string): Promise<void> {
    const request = await this.current(requestId);
    if (!request || (this.sentVersions.get(activityId) ?? 0) > request.version) return;
    await this.messenger.update(reference, activityId, await this.cards.cardForEveryone(kind, request, activityId));
    this.sent(activityId, request.version);
  }

  /** Replaces a message with a card that shows no request's state (a form drawn again), paced. */
  replace(reference: Reference, activityId: string, card: AdaptiveCard): Promise<void> {
    return this.paced(reference, () => this.messenger.update(reference, activityId, card));
  }

  /** Posts a request's card, drawn by `draw` as the request stands now; its message id, if Teams gave one. */
  async postNow(
    reference: Reference,
    requestId: string,
    draw: (request: GroupRequest) => Promise<AdaptiveCard>,
  ): Promise<string | undefined> {
    const request = await this.current(requestId);
    if (!request) return undefined;
    const activityId = await this.messenger.send(reference, await draw(request));
    if (activityId) this.sent(activityId, request.version);
    return activityId;
  }

  private paced(reference: Reference, edit: () => Promise<void>): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (!conversationId) return Promise.resolve();
    return this.pacer.run(conversationId, edit);
  }

  private sent(activityId: string, version: number): void {
    const newest = Math.max(version, this.sentVersions.get(activityId) ?? 0);
    this.sentVersions.delete(activityId);
    this.sentVersions.set(activityId, newest);
    if (this.sentVersions.size > REMEMBERED_MESSAGES) this.sentVersions.delete(this.sentVersions.keys().next().value!);
  }
}
