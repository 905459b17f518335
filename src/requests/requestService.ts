import { CreationRunner } from './creationRunner';
import type { Actor, CardLocations, GroupRequest, Preset } from './groupRequest';
import { readRequest } from './requestAccess';
import { askAgain, type AskAgainOutcome } from './requestAgain';
import * as decisions from './requestDecisions';
import type { RequestFormValues } from './requestForm';
import type { ActionOutcome, ReadOutcome, RuleCheckOutcome, SubmitOutcome } from './requestOutcomes';
import { checkFormRule } from './requestPreviews';
import { requestContext, type CreatingDecision, type CreationIdentity, type RequestServiceDeps } from './requestServiceDeps';
import { submitRequest } from './requestSubmission';
import { wantApprovalCards } from './requestWrites';
import { resumeInterrupted } from './resumeSweep';
import { remindApprovers, sweepWaiting } from './waitingSweep';

/**
 * The requests use cases, called by the bot: the one place that holds their state (the creations
 * running in this process). All else lives in the store; each use case lives in its own file.
 */
export class RequestService {
  private readonly ctx: decisions.DecisionContext;

  constructor(deps: RequestServiceDeps) {
    const base = requestContext(deps);
    this.ctx = { ...base, creations: new CreationRunner(base) };
  }

  submit(values: RequestFormValues, requester: Actor, cards?: CardLocations, formKey?: string): Promise<SubmitOutcome> {
    return submitRequest(this.ctx, values, requester, cards, formKey);
  }

  checkRule(values: RequestFormValues, preset: Preset): Promise<RuleCheckOutcome> {
    return checkFormRule(this.ctx, values, preset);
  }

  get(id: string): Promise<GroupRequest | undefined> {
    return this.ctx.deps.store.get(id);
  }

  read(actor: Actor, id: string): Promise<ReadOutcome> {
    return readRequest(this.ctx, actor, id);
  }

  listMine(requester: Actor, limit = 10): Promise<GroupRequest[]> {
    return this.ctx.deps.store.listByRequester(requester.aadObjectId, limit);
  }

  listPending(limit = 20): Promise<GroupRequest[]> {
    return this.ctx.deps.store.listByStatus(['submitted'], limit);
  }

  async wantApprovalCards(limit = 100): Promise<GroupRequest[]> {
    return wantApprovalCards(this.ctx, await this.listPending(limit));
  }

  approve(id: string, identity: CreationIdentity): Promise<ActionOutcome> {
    return decisions.approve(this.ctx, id, identity);
  }

  checkDecision(id: string, actor: Actor, decision: CreatingDecision): Promise<ActionOutcome> {
    return decisions.checkDecision(this.ctx, id, actor, decision);
  }

  reject(id: string, actor: Actor, reason: string): Promise<ActionOutcome> {
    return decisions.reject(this.ctx, id, actor, reason);
  }

  cancel(id: string, actor: Actor): Promise<ActionOutcome> {
    return decisions.cancel(this.ctx, id, actor);
  }

  abandon(id: string, actor: Actor): Promise<ActionOutcome> {
    return decisions.abandon(this.ctx, id, actor);
  }

  retry(id: string, identity: CreationIdentity): Promise<ActionOutcome> {
    return decisions.retry(this.ctx, id, identity);
  }

  /** The form values of one of the requester's own requests, to ask for the same group again. */
  askAgain(actor: Actor, id: string): Promise<AskAgainOutcome> {
    return askAgain(this.ctx, actor, id);
  }

  /** Sends the approvers a reminder the requester asked for ("remind <id>"). */
  remind(id: string, actor: Actor): Promise<ActionOutcome> {
    return remindApprovers(this.ctx, id, actor);
  }

  /** Reminds, escalates and expires the waiting requests that are due (up to `limit`). */
  sweepWaiting(limit = 500): Promise<GroupRequest[]> {
    return sweepWaiting(this.ctx, limit);
  }

  /** Resolves once no creation runs: for shutdown and tests. */
  settled(): Promise<void> {
    return this.ctx.creations.settled();
  }

  resumeInterrupted(identityFor: (request: GroupRequest) => CreationIdentity, staleForMs: number): Promise<GroupRequest[]> {
    return resumeInterrupted(this.ctx, this.ctx.creations, identityFor, staleForMs);
  }
}
