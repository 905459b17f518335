import { stageDecisions, stageWords } from '../requests/approvalStages';
import type { GroupRequest } from '../requests/groupRequest';
import { markdownText as md } from './markdownText';
import { shownTime, type ViewerClock } from './viewerTime';

/** How cards show a request's approval stages: each one, who decided it and when. */

/**
 * One fact per stage of a request routed by the approval policy; none for the default single
 * stage, whose status line already names the approver.
 */
export function stageFacts(request: GroupRequest, viewer?: ViewerClock): { title: string; value: string }[] {
  const route = request.route;
  if (!route) return [];
  const decisions = stageDecisions(request);
  const ended = decisions.some((d) => d.outcome === 'rejected') || ['cancelled', 'abandoned'].includes(request.status);
  return route.stages.map((stage, index) => {
    const number = index + 1;
    const decided = decisions.find((d) => d.number === number);
    const title = route.stages.length > 1 ? `Stage ${number} of ${route.stages.length}` : 'Approval';
    if (decided)
      return { title, value: `${md(stage.name)}: ${decided.outcome} by ${md(decided.by.name)}, ${shownTime(decided.at, viewer)}` };
    const waiting = request.status === 'submitted' && number === decisions.length + 1;
    return { title, value: `${md(stage.name)}: ${waiting ? 'waiting' : ended ? 'not reached' : 'to come'}` };
  });
}

/** "Submitted, waiting for stage 2 of 3 (Security review)", or undefined for a request with one stage. */
export function stageWaitingLine(request: GroupRequest): string | undefined {
  const route = request.route;
  if (!route || route.stages.length < 2 || request.status !== 'submitted') return undefined;
  const number = stageDecisions(request).length + 1;
  return `Submitted, waiting for ${md(stageWords({ number, of: route.stages.length, name: route.stages[number - 1].name }))}`;
}

/** Tells the requester a stage was approved and which one waits now. */
export function stageNotification(request: GroupRequest, approved: number): string {
  const name = `"${md(request.spec.displayName)}" (request ${request.id})`;
  const decision = stageDecisions(request).find((d) => d.number === approved);
  const by = decision ? ` by ${md(decision.by.name)}` : '';
  const next = request.route?.stages[approved];
  const of = request.route?.stages.length ?? 1;
  const waiting = next ? `; it now waits for ${md(stageWords({ number: approved + 1, of, name: next.name }))}` : '';
  return `Your request for ${name} passed stage ${approved} of ${of}${by}${waiting}.`;
}
