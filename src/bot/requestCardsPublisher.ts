import type { ConversationReference } from 'botbuilder';
import { approvalCard, requestStatusCard, statusNotification } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { GroupRequest, RequestStatus } from '../requests/groupRequest';
import type { RequestObserver, RequestService } from '../requests/requestService';
import type { ApprovalsChannel } from './approvalsChannel';
import type { ConversationMessenger } from './conversationMessenger';

/** The steps the requester hears about in their chat, beside the card updating in place. */
const NOTIFIED: readonly RequestStatus[] = ['approved', 'created', 'rejected', 'failed', 'abandoned'];

type Reference = Partial<ConversationReference>;

/** Keeps every card about a request in step with the store, and tells the requester. */
export class RequestCardsPublisher implements RequestObserver {
  private service?: RequestService;

  constructor(
    private readonly messenger: ConversationMessenger,
    private readonly approvals: ApprovalsChannel,
  ) {}

  /** The service is made with this publisher as its observer, so it is handed over after. */
  attach(service: RequestService): void {
    this.service = service;
  }

  async changed(request: GroupRequest): Promise<void> {
    const { cards } = request;
    const updates: Promise<unknown>[] = [];
    if (cards.requesterConversation && cards.requesterActivityId) {
      updates.push(this.messenger.update(cards.requesterConversation as Reference, cards.requesterActivityId, requestStatusCard(request)));
    }
    if (cards.approvalConversation && cards.approvalActivityId) {
      updates.push(this.messenger.update(cards.approvalConversation as Reference, cards.approvalActivityId, approvalCard(request)));
    }
    const last = request.audit[request.audit.length - 1];
    // An approval starts the creation in the same write: the requester hears of the approval then.
    const approvedNow = request.status === 'creating' && last?.from === 'approved' && last.actor !== 'system';
    if (cards.requesterConversation && last && last.from !== last.to && (NOTIFIED.includes(request.status) || approvedNow)) {
      updates.push(this.messenger.sendPersonally(cards.requesterConversation as Reference, statusNotification(request)));
    }
    const failures = (await Promise.allSettled(updates)).filter((r) => r.status === 'rejected');
    if (failures.length) throw (failures[0] as PromiseRejectedResult).reason;
  }

  /** Replaces a card the bot sent earlier, e.g. the form with the outcome of its submission. */
  updateCard(reference: Reference, activityId: string, card: AdaptiveCard): Promise<void> {
    return this.messenger.update(reference, activityId, card);
  }

  /** Posts the approval card; false when no approvals channel is known yet. */
  async postForApproval(request: GroupRequest): Promise<boolean> {
    const channel = await this.approvals.reference();
    if (!channel) return false;
    const activityId = await this.messenger.send(channel, approvalCard(request));
    await this.service?.attachCards(request.id, { approvalConversation: channel, approvalActivityId: activityId });
    return true;
  }

  /** Once a channel is chosen, the requests that waited for one get their approval cards. */
  async postWaiting(): Promise<number> {
    const pending = (await this.service?.listPending(100)) ?? [];
    const waiting = pending.filter((r) => !r.cards.approvalActivityId);
    for (const request of waiting) await this.postForApproval(request);
    return waiting.length;
  }
}
