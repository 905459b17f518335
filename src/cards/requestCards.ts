import type { GroupRequest, RequestStatus } from '../requests/groupRequest';
import { describePreview } from '../requests/rulePreview';
import { describeStatus } from '../requests/workflow';
import { renderCard, type AdaptiveCard } from './cardTemplates';

const PRESET_WORDS: Record<GroupRequest['spec']['preset'], string> = {
  autopilotUsers: 'Autopilot device preparation user group',
  autopilotDevices: 'Autopilot device preparation device group',
  custom: 'Security group',
};

const STATUS_COLORS: Record<RequestStatus, string> = {
  submitted: 'Accent',
  approved: 'Accent',
  creating: 'Accent',
  created: 'Good',
  rejected: 'Attention',
  cancelled: 'Warning',
  failed: 'Attention',
};

/** How many member names a card lists before it only counts them. */
const MEMBERS_SHOWN = 25;

function statusLine(request: GroupRequest): string {
  switch (request.status) {
    case 'submitted':
      return 'Submitted, waiting for approval';
    case 'approved':
    case 'creating':
      return `Approved by ${request.approver?.name ?? 'an approver'}: creating the group…`;
    case 'created':
      return `Created, approved by ${request.approver?.name ?? 'an approver'}`;
    case 'rejected':
      return `Rejected by ${request.approver?.name ?? 'an approver'}`;
    case 'cancelled':
      return 'Cancelled by the requester';
    case 'failed':
      return 'Creation failed';
  }
}

function adminCenterLinks(groupId: string) {
  const path = `#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${groupId}`;
  return {
    entraUrl: `https://entra.microsoft.com/${path}`,
    intuneUrl: `https://intune.microsoft.com/${path}`,
  };
}

function names(list: { displayName: string; reference: string }[]): string {
  const shown = list.slice(0, MEMBERS_SHOWN).map((p) => `${p.displayName} (${p.reference})`);
  const more = list.length > MEMBERS_SHOWN ? `, and ${list.length - MEMBERS_SHOWN} more` : '';
  return shown.join(', ') + more;
}

/** The owners asked for, and the approver when the bot made them an owner (app-only creation). */
function ownerNames(request: GroupRequest): string {
  const approver = request.approver;
  const approverAdded =
    approver && request.attempt?.addedOwners.includes(approver.aadObjectId) && !request.owners.some((o) => o.id === approver.aadObjectId);
  const listed = [request.owners.length ? names(request.owners) : '', approverAdded ? `${approver.name} (the approver)` : ''];
  return listed.filter(Boolean).join(', ') || '(none)';
}

/** What both request cards show. `notice` speaks to the one viewer who just clicked. */
function requestCardData(request: GroupRequest, notice: string) {
  const { spec } = request;
  const group = request.group ?? (request.attempt?.groupId ? { id: request.attempt.groupId } : undefined);
  const membership =
    spec.membershipType === 'dynamic'
      ? 'Dynamic (membership rule below)'
      : `Assigned, ${request.members.length} member${request.members.length === 1 ? '' : 's'}`;
  return {
    id: request.id,
    displayName: spec.displayName,
    statusLine: statusLine(request),
    statusColor: STATUS_COLORS[request.status],
    notice,
    kind: PRESET_WORDS[spec.preset],
    mailNickname: spec.mailNickname,
    description: spec.description || '(none)',
    membership,
    owners: ownerNames(request),
    members: spec.membershipType === 'assigned' ? names(request.members) : '',
    rule: spec.membershipRule ?? '',
    justification: spec.justification,
    requester: request.requester.name,
    submittedAt: request.createdAt.replace('T', ' ').slice(0, 16) + ' UTC',
    reason: request.decisionReason ? `Reason: ${request.decisionReason}` : '',
    failure: request.status === 'failed' && request.failure ? request.failure.message : '',
    groupId: request.status === 'created' && group ? group.id : '',
    ...(group ? adminCenterLinks(group.id) : { entraUrl: '', intuneUrl: '' }),
  };
}

/** Who did what when, from the request's audit trail, in the words of its actions. */
function history(request: GroupRequest) {
  return request.audit.map((entry) => ({
    at: `${entry.at.replace('T', ' ').slice(0, 16)} UTC`,
    what: `${entry.actor === 'system' ? 'the bot' : entry.actor.name}: ${entry.action}${entry.reason ? ` (${entry.reason})` : ''}`,
  }));
}

/** The requester's card: where their request stands; `withHistory` adds the audit trail ("status <id>"). */
export function requestStatusCard(request: GroupRequest, notice = '', withHistory = false): AdaptiveCard {
  return renderCard('requestStatus', {
    ...requestCardData(request, notice),
    canCancel: request.status === 'submitted',
    history: withHistory ? history(request) : [],
  });
}

/** The card in the approvals channel; its buttons follow the request's state. */
export function approvalCard(request: GroupRequest, notice = ''): AdaptiveCard {
  return renderCard('approvalRequest', {
    ...requestCardData(request, notice),
    preview: request.rulePreview ? `${describePreview(request.rulePreview)} (as of ${request.rulePreview.at.slice(0, 16).replace('T', ' ')} UTC)` : '',
    canDecide: request.status === 'submitted',
    canRetry: request.status === 'failed',
  });
}

export function statusNotification(request: GroupRequest): string {
  const name = `"${request.spec.displayName}" (request ${request.id})`;
  switch (request.status) {
    case 'created': {
      const id = request.group?.id ?? '';
      const links = adminCenterLinks(id);
      return `Your group ${name} was created. Its object id is ${id}. Open it in the [Entra admin center](${links.entraUrl}) or the [Intune admin center](${links.intuneUrl}).`;
    }
    case 'rejected':
      return `Your request for ${name} was rejected by ${request.approver?.name}. Reason: ${request.decisionReason}`;
    case 'failed':
      return `Creating ${name} failed: ${request.failure?.message} An approver can retry it.`;
    default:
      return `Your request for ${name} is ${describeStatus(request.status)}.`;
  }
}
