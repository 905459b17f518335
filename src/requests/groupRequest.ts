import type { ApprovalRoute } from './approvalRoute';

/**
 * The request for a security group, as the bot keeps it from submission to creation.
 * Nothing here knows about Teams, Graph or storage.
 */

/** `autopilotPair`: the user group and the device group of Autopilot device preparation, asked for and approved together. */
export const PRESETS = ['autopilotUsers', 'autopilotDevices', 'autopilotPair', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export const MEMBERSHIP_TYPES = ['assigned', 'dynamic'] as const;
export type MembershipType = (typeof MEMBERSHIP_TYPES)[number];

export const REQUEST_STATUSES = [
  'submitted',
  'approved',
  'creating',
  'created',
  'rejected',
  'cancelled',
  'failed',
  'abandoned',
  'expired',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The Intune Provisioning Client, owner of every Autopilot device preparation device group. */
export const INTUNE_PROVISIONING_CLIENT_APP_ID = 'f1346770-5b25-470b-88bd-d5744ab7952c';

/** What the requester asked for, after validation: names trimmed, lists split. */
export interface GroupSpec {
  preset: Preset;
  displayName: string;
  mailNickname: string;
  description: string;
  membershipType: MembershipType;
  /** UPNs or mail addresses exactly as the requester typed them (deduplicated). */
  members: string[];
  owners: string[];
  /** Only for dynamic groups. */
  membershipRule?: string;
  justification: string;
  /**
   * Only for the Autopilot pair: its device group, made beside the user group the fields above
   * describe. Assigned, empty, with the same description, owned by the Intune Provisioning Client.
   */
  deviceGroup?: PairedDeviceGroup;
}

/** Which group of a request: `only` for a request of one group, `users` or `devices` in the Autopilot pair. */
export type GroupPart = 'only' | 'users' | 'devices';

export interface PairedDeviceGroup {
  displayName: string;
  mailNickname: string;
}

/** A directory object the request's names resolved to. */
export interface DirectoryPrincipal {
  id: string;
  displayName: string;
  /** What the requester typed for it, or the appId for a service principal. */
  reference: string;
  kind: 'user' | 'servicePrincipal';
  /** A B2B guest (userType Guest): someone from outside the tenant. */
  guest?: boolean;
  /** The account cannot sign in (accountEnabled false). */
  disabled?: boolean;
  /** Directory roles the user holds (directly or through groups), as Entra names them. */
  directoryRoles?: string[];
}

/** A person acting on a request, as Teams names them. */
export interface Actor {
  aadObjectId: string;
  name: string;
}

/** A reminder about a waiting request, posted in its approval card's thread. */
export interface ReminderMark {
  /** `schedule`: the route's remind-after passed; `requester`: they said "remind <id>". */
  by: 'schedule' | 'requester';
  /** How long the request had waited for a decision, in milliseconds. */
  waitedMs: number;
}

/** The request was escalated: the escalation group's channel got its approval card too. */
export interface EscalationMark {
  approversGroupId: string;
  waitedMs: number;
}

/** Which approval stage an audit entry decided, and how: the record auditors read stage decisions from. */
export interface StageMark {
  /** 1 for the first stage. */
  number: number;
  /** How many stages the request's route has. */
  of: number;
  name: string;
  /** The group whose member decided; absent on the default route, decided by the configured approvers group. */
  approversGroupId?: string;
  outcome: 'approved' | 'rejected';
}

export interface AuditEntry {
  at: string;
  actor: Actor | 'system';
  action: string;
  from?: RequestStatus;
  to: RequestStatus;
  reason?: string;
  /** Present on every reminder: the record that it was sent, so it is never sent twice. */
  reminder?: ReminderMark;
  /** Present on the escalation. */
  escalation?: EscalationMark;
  /** Present on every approval or rejection of a stage of a routed request (one with an approval policy route). */
  stage?: StageMark;
}

export interface CreatedGroup {
  id: string;
  displayName: string;
}

export interface CreationFailure {
  /** Graph's own error code exactly as Graph sent it, or one of ours in camelCase (mailNicknameTaken, membersNotAdded, unexpected). */
  code: string;
  message: string;
  at: string;
  /** Graph refused the request itself (a 400 on the create): retrying it as it stands cannot succeed. */
  permanent?: boolean;
}

/**
 * Where the cards about this request live, so every transition can update them in place.
 * Conversation references are stored as opaque JSON: only bot/ reads them.
 */
export interface CardLocations {
  requesterConversation?: unknown;
  requesterActivityId?: string;
  /** The first stage's approval card. */
  approvalConversation?: unknown;
  approvalActivityId?: string;
  /** The approval card posted in the escalation channel, once the request was escalated. */
  escalationConversation?: unknown;
  escalationActivityId?: string;
  /** The approval cards of the second and third stages, each posted when its stage begins. */
  laterStageCards?: StageCard[];
}

export interface StageCard {
  stage: number;
  conversation: unknown;
  activityId?: string;
}

/** The record of a creation the bot started, written before Graph is called. */
export interface CreationAttempt {
  number: number;
  startedAt: string;
  /** The group Graph made for this request (the pair's user group), once known; never create another. */
  groupId?: string;
  /** The pair's device group, once Graph made it. */
  deviceGroupId?: string;
  /** Principal ids Graph confirmed as members or owners. */
  addedMembers: string[];
  addedOwners: string[];
}

/** How many directory objects a dynamic rule matched when it was submitted. */
export interface RulePreviewSummary {
  matched: number;
  scanned: number;
  /** False when only part of the directory could be read in the time allowed. */
  complete: boolean;
  examples: string[];
  kind: 'user' | 'device';
  at: string;
  /** A -match pattern the preview cannot run (Entra can): nothing was counted. */
  unsupportedPattern?: { pattern: string; feature: string };
}

export interface GroupRequest {
  id: string;
  /** Incremented by every write; writes are conditional on it. */
  version: number;
  status: RequestStatus;
  spec: GroupSpec;
  members: DirectoryPrincipal[];
  owners: DirectoryPrincipal[];
  requester: Actor;
  tenantId: string;
  /**
   * The approval policy's route, chosen at submission and kept, so a policy changed later never
   * moves a waiting request. Absent: one stage, decided by the configured approvers group in the
   * approvals channel (requests stored before policies, and every request without one).
   */
  route?: ApprovalRoute;
  /** Who approved the last stage (and so whose rights create the group), or rejected a stage. */
  approver?: Actor;
  decisionReason?: string;
  rulePreview?: RulePreviewSummary;
  /** Why the owners' and members' directory roles are not known, when they could not be read. */
  directoryRolesUnknown?: string;
  /** Existing groups whose names read the same as this one's, found at submission: the approver is warned. */
  lookalikeGroups?: CreatedGroup[];
  attempt?: CreationAttempt;
  /** The group made, once the request is created (the pair's user group). */
  group?: CreatedGroup;
  /** The pair's device group, once the request is created. */
  deviceGroup?: CreatedGroup;
  failure?: CreationFailure;
  cards: CardLocations;
  audit: AuditEntry[];
  createdAt: string;
  updatedAt: string;
}
