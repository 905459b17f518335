import type { IsoDuration } from './isoDuration';

/**
 * The way one request is approved: its stages in order, and how long it may wait. The route is
 * chosen when the request is submitted and kept with it, so a policy changed later never moves
 * a request already waiting.
 */

/** A Teams channel approval cards are posted in, as a new thread. */
export interface ApprovalChannel {
  /** The channel's conversation id, `19:…@thread.tacv2`. */
  conversationId: string;
  /** The Bot Connector service URL of the tenant's region; the approvals channel's when not given. */
  serviceUrl?: string;
}

export interface ApprovalStage {
  /** How cards and the history name the stage ("Security review"). */
  name: string;
  /** The Entra group whose members (transitively) decide this stage. */
  approversGroupId: string;
  /** Where this stage's approval card goes; the approvals channel when not given. */
  channel?: ApprovalChannel;
}

export interface Escalation {
  after: IsoDuration;
  approversGroupId: string;
  channel?: ApprovalChannel;
}

export interface ApprovalRoute {
  name: string;
  /** One to three, decided in this order. */
  stages: ApprovalStage[];
  remindAfter?: IsoDuration;
  escalation?: Escalation;
  expireAfter?: IsoDuration;
}

export const MAX_STAGES = 3;

/**
 * The route of requests stored before approval policies, and of every request when no policy is
 * set: one stage, decided by the configured approvers group in the approvals channel.
 */
export function defaultRoute(approversGroupId: string): ApprovalRoute {
  return { name: 'default', stages: [{ name: 'Approval', approversGroupId }] };
}
