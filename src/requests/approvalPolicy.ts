import type { ApprovalRoute } from './approvalRoute';
import type { DirectoryPrincipal, GroupSpec, MembershipType, Preset, RulePreviewSummary } from './groupRequest';

/**
 * The organisation's approval policy: routes tried in order, the first whose conditions all hold
 * deciding who approves a request. A request no route matches goes the default way (the
 * configured approvers group, one stage).
 */

/** What a route asks of a request; a condition left out holds for every request. */
export interface RouteMatch {
  kinds?: Preset[];
  /** Compared without case. */
  displayNamePrefix?: string;
  membershipType?: MembershipType;
  /** The group's size: its members, or the users or devices its rule matches now. */
  minSize?: number;
  maxSize?: number;
}

export interface PolicyRoute extends ApprovalRoute {
  match: RouteMatch;
}

export interface ApprovalPolicy {
  routes: PolicyRoute[];
}

/** What a route is chosen by: the request as submitted. */
export interface RouteCandidate {
  spec: Pick<GroupSpec, 'preset' | 'displayName' | 'membershipType'>;
  members: readonly DirectoryPrincipal[];
  rulePreview?: RulePreviewSummary;
}

/**
 * How many members the group would have, as far as is known: a dynamic group's count may be
 * partial (a lower bound) or unknown (a pattern the preview cannot run).
 */
export function groupSize(candidate: RouteCandidate): { atLeast: number; exact: boolean } {
  if (candidate.spec.membershipType === 'assigned') return { atLeast: candidate.members.length, exact: true };
  const preview = candidate.rulePreview;
  if (!preview || preview.unsupportedPattern) return { atLeast: 0, exact: false };
  return { atLeast: preview.matched, exact: preview.complete };
}

/**
 * A size not known exactly is taken to be large, so it takes the stricter route: it meets any
 * minimum and no maximum.
 */
function sizeMatches(match: RouteMatch, candidate: RouteCandidate): boolean {
  if (match.minSize === undefined && match.maxSize === undefined) return true;
  const size = groupSize(candidate);
  if (match.minSize !== undefined && size.exact && size.atLeast < match.minSize) return false;
  if (match.maxSize !== undefined && (!size.exact || size.atLeast > match.maxSize)) return false;
  return true;
}

export function routeMatches(match: RouteMatch, candidate: RouteCandidate): boolean {
  const { spec } = candidate;
  if (match.kinds && !match.kinds.includes(spec.preset)) return false;
  if (match.membershipType && match.membershipType !== spec.membershipType) return false;
  if (match.displayNamePrefix && !spec.displayName.toLowerCase().startsWith(match.displayNamePrefix.toLowerCase())) return false;
  return sizeMatches(match, candidate);
}

/** The route a request takes, without its conditions: what is kept with the request. */
export function chooseRoute(policy: ApprovalPolicy, candidate: RouteCandidate): ApprovalRoute | undefined {
  const chosen = policy.routes.find((route) => routeMatches(route.match, candidate));
  if (!chosen) return undefined;
  const { name, stages, remindAfter, escalation, expireAfter } = chosen;
  return {
    name,
    stages,
    ...(remindAfter ? { remindAfter } : {}),
    ...(escalation ? { escalation } : {}),
    ...(expireAfter ? { expireAfter } : {}),
  };
}

/** Every approvers group the policy names, in its stages and escalations: their members are approvers. */
export function policyGroupIds(policy: ApprovalPolicy): string[] {
  return policy.routes.flatMap((route) => [
    ...route.stages.map((stage) => stage.approversGroupId),
    ...(route.escalation ? [route.escalation.approversGroupId] : []),
  ]);
}
