import type { DirectoryPrincipal, GroupRequest, ReminderMark, RequestStatus } from '../requests/groupRequest';
import { describePreview } from '../requests/rulePreview';
import { describeStatus } from '../requests/workflow';
import { durationWords, waitedMs, wasEscalated } from '../requests/waitingClock';
import { listNames, NAMES_LISTED } from '../requests/nameList';
import { LIMITS } from '../requests/requestForm';
import { renderCard, type AdaptiveCard } from './cardTemplates';
import { localTime, shownTime, utcTime, type ViewerClock } from './viewerTime';
import { markdownText as md } from './markdownText';
import { stageFacts, stageWaitingLine } from './stageFacts';

const PRESET_WORDS: Record<GroupRequest['spec']['preset'], string> = {
  autopilotUsers: 'Autopilot device preparation user group',
  autopilotDevices: 'Autopilot device preparation device group',
  autopilotPair: 'Autopilot device preparation: user group and device group',
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
  abandoned: 'Warning',
  expired: 'Warning',
};

const approverName = (request: GroupRequest): string => (request.approver ? md(request.approver.name) : 'an approver');

function statusLine(request: GroupRequest): string {
  switch (request.status) {
    case 'submitted':
      return stageWaitingLine(request) ?? 'Submitted, waiting for approval';
    case 'approved':
    case 'creating':
      return `Approved by ${approverName(request)}: creating the group…`;
    case 'created':
      return `Created, approved by ${approverName(request)}`;
    case 'rejected':
      return `Rejected by ${approverName(request)}`;
    case 'cancelled':
      return 'Cancelled by the requester';
    case 'failed':
      return 'Creation failed';
    case 'abandoned':
      return `Abandoned by ${abandonedBy(request)} after the creation failed`;
    case 'expired':
      return `Expired: nobody decided within ${expiryWords(request)}`;
  }
}

function expiryWords(request: GroupRequest): string {
  const after = request.route?.expireAfter;
  return after ? durationWords(after.ms) : 'the time allowed';
}

/** How long a waiting request has waited, and what was done about it, as of `now`. */
function waitingLine(request: GroupRequest, now: string): string {
  if (request.status !== 'submitted') return '';
  const reminders = request.audit.filter((entry) => entry.reminder).length;
  const done = [
    reminders ? `approvers reminded ${reminders === 1 ? 'once' : `${reminders} times`}` : '',
    wasEscalated(request) ? 'escalated' : '',
  ].filter(Boolean);
  return `Waiting for a decision for ${durationWords(waitedMs(request, now))}${done.length ? ` (${done.join(', ')})` : ''}.`;
}

function abandonedBy(request: GroupRequest): string {
  const entry = [...request.audit].reverse().find((e) => e.to === 'abandoned');
  return entry && entry.actor !== 'system' ? md(entry.actor.name) : 'an approver';
}

/** Graph's reason, and whether Retry can help, for a failed or abandoned creation. */
function failureText(request: GroupRequest): string {
  const failure = request.failure;
  if (!failure || (request.status !== 'failed' && request.status !== 'abandoned')) return '';
  const final =
    failure.permanent && request.status === 'failed'
      ? ' Retrying cannot fix this: Microsoft Graph refuses the request as it stands. Abandon it; the requester can then ask again with the problem fixed.'
      : '';
  return md(failure.message) + final;
}

function adminCenterLinks(groupId: string) {
  const path = `#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${groupId}`;
  return {
    entraUrl: `https://entra.microsoft.com/${path}`,
    intuneUrl: `https://intune.microsoft.com/${path}`,
  };
}

/**
 * The groups a card shows, each with its object id and its links to both admin centres. A single
 * group shows once created; the Autopilot pair shows each group as soon as it exists, so a failed
 * creation says which of the two is there.
 */
function groupLines(request: GroupRequest): { lines: string[]; links: { title: string; url: string }[] } {
  const { spec } = request;
  if (!spec.deviceGroup) {
    const id = request.status === 'created' ? request.group?.id : undefined;
    if (!id) return { lines: [], links: [] };
    const { entraUrl, intuneUrl } = adminCenterLinks(id);
    return {
      lines: [`Group object id: ${id}`],
      links: [
        { title: 'Open in Entra admin center', url: entraUrl },
        { title: 'Open in Intune admin center', url: intuneUrl },
      ],
    };
  }
  const pair = [
    { label: 'User group', name: spec.displayName, id: request.group?.id ?? request.attempt?.groupId },
    { label: 'Device group', name: spec.deviceGroup.displayName, id: request.deviceGroup?.id ?? request.attempt?.deviceGroupId },
  ];
  if (!pair.some((group) => group.id)) return { lines: [], links: [] };
  return {
    lines: pair.map(({ label, name, id }) => `${label} "${md(name)}": ${id ? `object id ${id}` : 'not created yet'}`),
    links: pair.flatMap(({ label, id }) => {
      if (!id) return [];
      const { entraUrl, intuneUrl } = adminCenterLinks(id);
      return [
        { title: `${label} in Entra admin center`, url: entraUrl },
        { title: `${label} in Intune admin center`, url: intuneUrl },
      ];
    }),
  };
}

/** The pair's device group as cards describe it; empty for a request of one group. */
function deviceGroupText(request: GroupRequest): string {
  const device = request.spec.deviceGroup;
  if (!device) return '';
  return `${md(device.displayName)} (mail nickname ${md(device.mailNickname)}): assigned, starts empty, owned by the Intune Provisioning Client`;
}

/** Why an approver should look twice at someone: a guest, a disabled account, a directory role. */
function flagsOf(principal: DirectoryPrincipal): string[] {
  return [
    ...(principal.guest ? ['guest'] : []),
    ...(principal.disabled ? ['disabled account'] : []),
    ...(principal.directoryRoles ?? []).map(md),
  ];
}

/** A person as a card names them, escaped, their flags after them. */
function nameOf(principal: DirectoryPrincipal): string {
  const flags = flagsOf(principal);
  return `${md(principal.displayName)} (${md(principal.reference)})${flags.length ? ` [${flags.join(', ')}]` : ''}`;
}

/** People as a card names them, escaped; `listed` bounds how many are named, all are counted. */
function names(list: DirectoryPrincipal[], listed = list.length): string {
  return listNames(list.map(nameOf), listed);
}

/** How many flagged people the approval card names; far more than a real request holds. */
const FLAGGED_LISTED = 50;

/**
 * Every owner or member an approver should look twice at, wherever they sit in a long list,
 * so none can hide behind harmless names.
 */
function flaggedAccounts(request: GroupRequest): string {
  const flagged = [
    ...request.owners.filter((p) => flagsOf(p).length).map((p) => `${nameOf(p)} as owner`),
    ...request.members.filter((p) => flagsOf(p).length).map((p) => `${nameOf(p)} as member`),
  ];
  const unknown = request.directoryRolesUnknown ? `Directory roles could not be checked: ${md(request.directoryRolesUnknown)}` : '';
  return [flagged.length ? `${flagged.length}: ${listNames(flagged, FLAGGED_LISTED)}` : '', unknown].filter(Boolean).join('\n\n');
}

/**
 * The owners asked for, and the approver when the bot made them an owner (app-only creation).
 * In the pair the service principal owns only the device group, and the card says so.
 */
function ownerNames(request: GroupRequest): string {
  const approver = request.approver;
  const approverAdded =
    approver && request.attempt?.addedOwners.includes(approver.aadObjectId) && !request.owners.some((o) => o.id === approver.aadObjectId);
  const owners = request.spec.deviceGroup
    ? request.owners.map((o) => (o.kind === 'servicePrincipal' ? { ...o, displayName: `${o.displayName}, of the device group only` } : o))
    : request.owners;
  const listed = [owners.length ? names(owners) : '', approverAdded ? `${md(approver.name)} (the approver)` : ''];
  return listed.filter(Boolean).join(', ') || '(none)';
}

/** A card names a few dozen members at most; the full list is one "status" away, in a personal chat. */
function memberNames(request: GroupRequest): string {
  const listed = names(request.members, NAMES_LISTED);
  return request.members.length > NAMES_LISTED ? `${listed}. The full list: say "status ${request.id}" to me in a personal chat.` : listed;
}

/** What both request cards show. `notice` speaks to the one viewer who just clicked. */
function requestCardData(request: GroupRequest, notice: string, viewer?: ViewerClock) {
  const { spec } = request;
  const groups = groupLines(request);
  const membership =
    spec.membershipType === 'dynamic'
      ? 'Dynamic (membership rule below)'
      : `Assigned, ${request.members.length.toLocaleString('en-US')} member${request.members.length === 1 ? '' : 's'}`;
  return {
    id: request.id,
    // Carried in every action: a click from a card older than the request acts on nothing.
    version: request.version,
    displayName: md(spec.displayName),
    statusLine: statusLine(request),
    statusColor: STATUS_COLORS[request.status],
    notice: md(notice),
    kind: PRESET_WORDS[spec.preset],
    mailNickname: md(spec.mailNickname),
    description: spec.description ? md(spec.description) : '(none)',
    membership,
    owners: ownerNames(request),
    members: spec.membershipType === 'assigned' ? memberNames(request) : '',
    rule: md(spec.membershipRule ?? ''),
    justification: md(spec.justification),
    requester: md(request.requester.name),
    submittedAt: shownTime(request.createdAt, viewer),
    stages: stageFacts(request, viewer),
    reason: request.decisionReason ? `Reason: ${md(request.decisionReason)}` : '',
    failure: failureText(request),
    deviceGroup: deviceGroupText(request),
    groupLines: groups.lines.join('\n\n'),
    groupLinks: groups.links,
  };
}

/** Who did what when, from the request's audit trail, in the words of its actions. */
function history(request: GroupRequest, viewer?: ViewerClock) {
  return request.audit.map((entry) => ({
    // The UTC time heads the entry; the reader's own time follows it, so the column stays narrow.
    at: utcTime(entry.at),
    what: `${entry.actor === 'system' ? 'the bot' : md(entry.actor.name)}: ${entry.action}${entry.reason ? ` (${md(entry.reason)})` : ''}${
      viewer ? ` (${localTime(entry.at, viewer)})` : ''
    }`,
  }));
}

/**
 * The requester's card: where their request stands; `withHistory` adds the audit trail
 * ("status <id>"). `viewer`: the one person this card is for, whose local times it adds next to UTC.
 */
export function requestStatusCard(request: GroupRequest, notice = '', withHistory = false, viewer?: ViewerClock): AdaptiveCard {
  return renderCard('requestStatus', {
    ...requestCardData(request, notice, viewer),
    canCancel: request.status === 'submitted',
    history: withHistory ? history(request, viewer) : [],
  });
}

/** Warns the approver of existing groups this one could be taken for. */
function lookalikeWarning(request: GroupRequest): string {
  const asked = [request.spec.displayName, request.spec.deviceGroup?.displayName].map((name) => name?.toLowerCase());
  return (request.lookalikeGroups ?? [])
    .map((group) =>
      asked.includes(group.displayName.toLowerCase())
        ? `A group named "${md(group.displayName)}" already exists (object id ${group.id}). Names need not be unique, but check this request is not meant to pass for it.`
        : `This name reads the same as the existing group "${md(group.displayName)}" (object id ${group.id}) once invisible characters, letter widths and case are set aside: check this request is not meant to pass for it.`,
    )
    .join('\n\n');
}

/**
 * Who a version of the approval card is for. Teams shows each approver their own version
 * (a card's `refresh`), so everyone else can see where a request stands without buttons they
 * may not use. Where Teams cannot name every approver, everyone sees the buttons, and the
 * card says only approvers can use them.
 */
export type ApprovalView = 'approver' | 'onlooker' | 'everyone';

/** Whether an approver has something to do on the request: decide it, or retry or abandon its creation. */
export function awaitsApprover(request: GroupRequest): boolean {
  return request.status === 'submitted' || request.status === 'failed';
}

const EVERYONE_NOTE =
  'Only members of the approvers group can approve, reject or retry: these buttons show for everyone here, and anyone else is refused.';

/**
 * The card in the approvals channel; its buttons follow the request's state and who it is for.
 * `now`: when it is drawn, for how long it has waited.
 */
export function approvalCard(
  request: GroupRequest,
  notice = '',
  view: ApprovalView = 'approver',
  now = new Date().toISOString(),
): AdaptiveCard {
  const buttons = view !== 'onlooker';
  return renderCard('approvalRequest', {
    ...requestCardData(request, notice),
    waiting: waitingLine(request, now),
    preview: request.rulePreview
      ? `${md(describePreview(request.rulePreview))} (as of ${request.rulePreview.at.slice(0, 16).replace('T', ' ')} UTC)`
      : '',
    lookalike: lookalikeWarning(request),
    flagged: flaggedAccounts(request),
    canDecide: buttons && request.status === 'submitted',
    canRetry: buttons && request.status === 'failed' && !request.failure?.permanent,
    canAbandon: buttons && request.status === 'failed',
    approversOnly: view === 'everyone' && awaitsApprover(request) ? EVERYONE_NOTE : '',
    rejectReasonLimit: LIMITS.rejectReason,
  });
}

export function statusNotification(request: GroupRequest): string {
  const device = request.spec.deviceGroup;
  const names = device ? `"${md(request.spec.displayName)}" and "${md(device.displayName)}"` : `"${md(request.spec.displayName)}"`;
  const name = `${names} (request ${request.id})`;
  switch (request.status) {
    case 'created': {
      const id = request.group?.id ?? '';
      const links = adminCenterLinks(id);
      const made = request.deviceGroup;
      if (made && device) {
        const deviceLinks = adminCenterLinks(made.id);
        return (
          `Your Autopilot groups (request ${request.id}) were created. User group "${md(request.spec.displayName)}": object id ${id}, in the [Entra admin center](${links.entraUrl}) or the [Intune admin center](${links.intuneUrl}). ` +
          `Device group "${md(device.displayName)}": object id ${made.id}, in the [Entra admin center](${deviceLinks.entraUrl}) or the [Intune admin center](${deviceLinks.intuneUrl}).`
        );
      }
      return `Your group ${name} was created. Its object id is ${id}. Open it in the [Entra admin center](${links.entraUrl}) or the [Intune admin center](${links.intuneUrl}).`;
    }
    case 'creating':
      return `Your request for ${name} was approved by ${approverName(request)}; the group is being created.`;
    case 'rejected':
      return `Your request for ${name} was rejected by ${approverName(request)}. Reason: ${md(request.decisionReason ?? '')}`;
    case 'failed':
      return request.failure?.permanent
        ? `Creating ${name} failed: ${md(request.failure.message)} Retrying cannot fix this, so an approver will abandon it; ask again with the problem fixed.`
        : `Creating ${name} failed: ${md(request.failure?.message ?? '')} An approver can retry it.`;
    case 'abandoned':
      return `Your request for ${name} was abandoned by ${abandonedBy(request)} after its creation failed: ${md(request.failure?.message ?? '')} Ask again with "new group" if you still need it.`;
    case 'expired':
      return `Your request for ${name} expired: nobody decided within ${expiryWords(request)}. Request it again to have the same form filled in for you.`;
    default:
      return `Your request for ${name} is ${describeStatus(request.status)}.`;
  }
}

/**
 * The reply in the approval card's thread: which request waits and for how long. Everyone in the
 * channel reads it, so it names nobody and nothing of the request: the card above shows the rest.
 */
export function reminderText(request: GroupRequest, reminder: ReminderMark): string {
  const who = reminder.by === 'requester' ? 'The requester asks for a decision: request' : 'Reminder: request';
  return `${who} ${request.id} has waited ${durationWords(reminder.waitedMs)} for a decision. The card above has everything needed to decide.`;
}

/** Tells the requester their request expired, with a button for a new form filled with the same values. */
export function expiredNoticeCard(request: GroupRequest): AdaptiveCard {
  return renderCard('requestExpired', { id: request.id, text: statusNotification(request) });
}
