import type { ApprovalPolicy } from './approvalPolicy';
import type { ApproverPolicy } from './approvers';
import type { DirectoryReader, GroupWriter } from './directory';
import type { Actor, GroupRequest } from './groupRequest';
import type { CreationCheckpoint } from './groupCreation';
import type { RequestStore } from './requestStore';

/**
 * The approver's own access to the directory (delegated mode), obtained when they clicked and
 * before anything was written: a token in hand, renewed by whoever made it when it can be.
 */
export interface ApproverAccess {
  token(): Promise<{ token: string; expiresOnTimestamp: number }>;
}

/** Whose rights a creation runs with: the deciding approver, with their access when delegated. */
export interface CreationIdentity {
  actor: Actor;
  access?: ApproverAccess;
}

/** The decisions that start a creation, and so may need the approver's access first. */
export type CreatingDecision = 'approve' | 'retry';

/** Checks a dynamic membership rule; returns the problem in words, or undefined when valid. */
export type RuleCheck = (rule: string, preset: GroupRequest['spec']['preset']) => string | undefined;

export interface RequestServiceDeps {
  store: RequestStore;
  directory: DirectoryReader;
  approvers: ApproverPolicy;
  /** Who approves what, in how many stages; without it every request has the default single stage. */
  policy?: ApprovalPolicy;
  /** Throws DirectoryError when no writer can be made (e.g. a delegated token is needed). */
  writerFor(identity: CreationIdentity): GroupWriter;
  checkRule: RuleCheck;
  tenantId: string;
  now?: () => Date;
  newId?: () => string;
  checkpoint?: (point: CreationCheckpoint) => void;
  /** App-only mode: make the approving admin an owner of the group the bot creates. */
  approverAsOwner?: boolean;
  /** Delegated mode: no approval or retry is recorded without the approver's access in hand. */
  approverAccessRequired?: boolean;
  /** Reports what went wrong in background work, which has no one to answer to. */
  onBackgroundError?: (error: unknown, request: GroupRequest) => void;
}

/** The service's dependencies and its clock, as every use case reads them. */
export interface RequestContext {
  readonly deps: RequestServiceDeps;
  /** The present moment as an ISO timestamp, from `deps.now` when given. */
  now(): string;
}

export function requestContext(deps: RequestServiceDeps): RequestContext {
  return { deps, now: () => (deps.now ?? (() => new Date()))().toISOString() };
}
