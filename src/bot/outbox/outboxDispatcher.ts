import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { CardLocations } from '../../requests/groupRequest';
import type { PendingChange } from '../../requests/requestChange';
import type { RequestStore } from '../../requests/requestStore';
import { backoffMs, connectorFailure } from './connectorFailure';
import type { ConversationPacer } from './conversationPacer';
import { deliveriesFor, type Delivery, type DeliveryParts } from './changeDeliveries';

/** How many pending changes one pass reads; the next pass reads the rest. */
const BATCH = 500;
/**
 * A wake reads the store this long after it, not inside the write that woke it: the writes of a
 * burst of clicks then cost one read of the outbox instead of one each, a read that would parse
 * every pending change while the clicks wait. Nobody sees 20 ms on a card edit.
 */
const WAKE_DELAY_MS = 20;

/**
 * How long a bot instance holds a change it delivers. It claims the change, makes its first
 * delivery, and renews the claim before each later one, so only an instance that stopped (or
 * waits on Teams longer than this) lets another take over.
 */
const CLAIM_LEASE_MS = 120_000;

/**
 * Named points of a delivery, where a test can stop the process to prove recovery: before any
 * delivery is sent, before an approval card is posted, and right after its post is recorded.
 */
export type DeliveryCheckpoint = 'beforeDelivery' | 'beforeApprovalPost' | 'afterApprovalPostRecorded';

export interface OutboxDispatcherOptions extends DeliveryParts {
  store: RequestStore;
  pacer: ConversationPacer;
  log: Logger;
  /** This bot instance, as its claims on changes name it: of several instances, one delivers a change. */
  instanceId: string;
  /** How often the store is read for changes other bot instances wrote, or left after a restart. */
  pollMs: number;
  checkpoint?: (point: DeliveryCheckpoint) => void;
}

/**
 * Delivers the changes stored with requests (the outbox): each request's in the order written,
 * every conversation paced under Teams' rates, failures Teams calls passing retried until they
 * succeed. Of several bot instances on one store, the one that claimed a change delivers it. A
 * delivery is recorded as made right after it succeeds (a posted card with where it is) and is
 * never made again; one interrupted before it was recorded is made again after a restart.
 */
export class OutboxDispatcher {
  private readonly active = new Map<string, Promise<void>>();
  private pass?: Promise<void>;
  private again = false;
  /** A pass was left out while BATCH requests were being delivered: the next delivery to end makes it. */
  private waitingForRoom = false;
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  private readonly stopping = new AbortController();

  constructor(private readonly options: OutboxDispatcherOptions) {}

  start(): void {
    this.wake();
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
  }

  /** Changes were stored: deliver them soon. */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.soon ??= setTimeout(() => this.startPass(), WAKE_DELAY_MS);
  }

  private startPass(): void {
    this.soon = undefined;
    if (this.stopping.signal.aborted) return;
    // The oldest BATCH changes are all being delivered: a pass would read and parse them again
    // and start none, once per store write, while a backlog (cards waiting on a channel's rate) lasts.
    if (this.active.size >= BATCH) {
      this.waitingForRoom = true;
      return;
    }
    this.pass = this.readPending()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'could not read the changes to deliver'))
      .finally(() => {
        this.pass = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves once nothing is left to deliver: for tests. */
  async settled(): Promise<void> {
    for (;;) {
      while (this.pass || this.active.size) await Promise.allSettled([this.pass, ...this.active.values()]);
      if ((await this.options.store.pendingChanges(1)).length === 0) return;
      this.wake();
      await sleep(20);
    }
  }

  /** Stops reading and retrying; a delivery under way ends first. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.stopping.abort();
    await Promise.allSettled([this.pass, ...this.active.values()]);
  }

  /**
   * Starts delivering the changes of requests not being delivered yet, up to BATCH requests at
   * once. While cards wait on a channel's rate, each store write makes a pass: the store is asked
   * to leave out the changes already under way, or each pass would read and parse them all again.
   */
  private async readPending(): Promise<void> {
    const pending = await this.options.store.pendingChanges(BATCH, new Set(this.active.keys()));
    const byRequest = new Map<string, PendingChange[]>();
    for (const change of pending) {
      const changes = byRequest.get(change.requestId);
      if (changes) changes.push(change);
      else byRequest.set(change.requestId, [change]);
    }
    for (const [requestId, changes] of byRequest) {
      // A store may return them all the same, and one may have started while this pass read.
      if (this.active.has(requestId)) continue;
      if (this.active.size >= BATCH) {
        this.waitingForRoom = true;
        break;
      }
      const work = this.deliverInOrder(requestId, changes)
        .catch((error: unknown) => this.options.log.error({ err: error, requestId }, 'could not deliver a change'))
        .finally(() => {
          this.active.delete(requestId);
          if (this.waitingForRoom) {
            this.waitingForRoom = false;
            this.wake();
          }
        });
      this.active.set(requestId, work);
    }
  }

  private async deliverInOrder(requestId: string, changes: PendingChange[]): Promise<void> {
    const { store, instanceId } = this.options;
    for (const [position, change] of changes.entries()) {
      // Another instance delivers it: its later changes wait for it too.
      if (!(await store.claimChange(change, instanceId, CLAIM_LEASE_MS))) return;
      const request = await store.get(requestId);
      if (request) {
        const deliveries = await deliveriesFor(change, request, position === changes.length - 1, this.options);
        // The claim just made covers the first delivery; each later one renews it first.
        for (const [sent, delivery] of deliveries.filter((d) => !change.delivered.includes(d.name)).entries()) {
          if (sent > 0 && !(await store.claimChange(change, instanceId, CLAIM_LEASE_MS))) return;
          const made = await this.deliver(delivery, requestId);
          if (!made) return;
          change.delivered.push(delivery.name);
          await store.recordDelivered(change, made.located);
          if (delivery.name === 'approvalPost') this.options.checkpoint?.('afterApprovalPostRecorded');
        }
      }
      await store.finishChange(change);
    }
  }

  /** Once made (with where a posted card is), or given up on for good (logged); undefined when stopping. */
  private async deliver(delivery: Delivery, requestId: string): Promise<{ located?: CardLocations } | undefined> {
    const { pacer, log } = this.options;
    const signal = this.stopping.signal;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        const located = await pacer.run(
          delivery.conversationId,
          async () => {
            this.options.checkpoint?.('beforeDelivery');
            if (delivery.name === 'approvalPost') this.options.checkpoint?.('beforeApprovalPost');
            return delivery.send();
          },
          signal,
        );
        return located ? { located } : {};
      } catch (error) {
        if (signal.aborted) return undefined;
        const failure = connectorFailure(error);
        if (!failure.retriable) {
          log.error(
            { err: error, requestId, delivery: delivery.name, status: failure.status },
            'Teams refused a card update or notice; it is not sent',
          );
          return {};
        }
        const waitMs = failure.retryAfterMs ?? backoffMs(attempt);
        pacer.holdUntil(delivery.conversationId, Date.now() + waitMs);
        log.info(
          { requestId, delivery: delivery.name, status: failure.status, waitMs, attempt },
          'Teams asked to retry a card update or notice later',
        );
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
    return undefined;
  }
}
