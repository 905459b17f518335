import { DirectoryError } from '../requests/directory';

/**
 * Every way a Graph call can fail, told as a DirectoryError an Entra admin can act on.
 * Graph's own code is kept as the error's code; its message is kept where it says what to fix.
 */

/** A failed call, whatever its source: an HTTP answer, a $batch part, a timeout, the network. */
export interface GraphFailure {
  kind: 'http' | 'timeout' | 'network';
  /** HTTP status; 0 when no answer came. */
  status: number;
  code: string;
  message: string;
  retryAfterMs?: number;
}

/** A failed call told for an admin, keeping what Graph answered for the code that must tell cases apart. */
export class GraphCallError extends DirectoryError {
  constructor(
    told: DirectoryError,
    readonly failure: GraphFailure,
  ) {
    super(told.code, told.message, told.transient, told.permanent);
    this.name = 'GraphCallError';
  }
}

/** What the bot was doing, which decides whose rights are missing and what was not found. */
export type GraphAction =
  | 'resolveUsers'
  | 'findServicePrincipal'
  | 'checkMembership'
  | 'checkMailNickname'
  | 'findSimilarGroups'
  | 'readDirectoryRoles'
  | 'readDirectory'
  | 'findGroup'
  | 'createGroup'
  | 'readGroupLinks'
  | 'addMembers'
  | 'addOwners';

/** Whose token the call carried. */
export type GraphIdentity = 'bot' | 'approver';

const ACTIVITY: Record<GraphAction, string> = {
  resolveUsers: 'look up the requested users',
  findServicePrincipal: 'look up the service principal',
  checkMembership: 'check the approvers group membership',
  checkMailNickname: 'check whether the mail nickname is in use',
  findSimilarGroups: 'look for groups with a similar name',
  readDirectoryRoles: 'read the directory roles of the owners and members',
  readDirectory: 'read the directory',
  findGroup: 'look for the group',
  createGroup: 'create the group',
  readGroupLinks: "read the group's members and owners",
  addMembers: 'add members to the group',
  addOwners: 'add owners to the group',
};

const READ_PERMISSIONS: Record<GraphAction, string> = {
  resolveUsers: 'User.Read.All',
  findServicePrincipal: 'Application.Read.All',
  checkMembership: 'GroupMember.Read.All',
  checkMailNickname: 'Group.Read.All',
  findSimilarGroups: 'Group.Read.All',
  readDirectoryRoles: 'User.Read.All',
  readDirectory: 'User.Read.All and Device.Read.All',
  findGroup: 'Group.Read.All',
  createGroup: 'Group.ReadWrite.All',
  readGroupLinks: 'GroupMember.Read.All',
  addMembers: 'GroupMember.ReadWrite.All',
  addOwners: 'Group.ReadWrite.All',
};

const ALREADY_EXISTS = /already exist/i;

/** Graph's 400 for a link (an owner, a member) the group already holds: what was asked is there. */
export function isAlreadyThere(failure: GraphFailure | undefined): boolean {
  return failure?.status === 400 && ALREADY_EXISTS.test(failure.message);
}

/** Statuses worth trying again: throttling, and server errors that say nothing about the request. */
export function isTransientFailure(failure: GraphFailure): boolean {
  return failure.kind !== 'http' || failure.status === 429 || failure.status === 424 || failure.status >= 500;
}

function forbidden(action: GraphAction, identity: GraphIdentity): string {
  if (action === 'createGroup' && identity === 'approver') {
    return 'The approving admin lacks the rights to create groups: they need Groups Administrator (or a similar role) and the Group.ReadWrite.All permission must be consented.';
  }
  if ((action === 'addMembers' || action === 'addOwners') && identity === 'approver') {
    return `The approving admin lacks the rights to ${ACTIVITY[action]}: they need Groups Administrator (or a similar role) or to own the group, and the GroupMember.ReadWrite.All permission must be consented.`;
  }
  return `The bot's app registration lacks the Microsoft Graph permission to ${ACTIVITY[action]}: an admin must grant and consent ${READ_PERMISSIONS[action]} for it in Microsoft Entra admin center > App registrations > API permissions.`;
}

export function translateGraphFailure(failure: GraphFailure, action: GraphAction, identity: GraphIdentity, attempts = 1): DirectoryError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const activity = ACTIVITY[action];
  if (failure.kind === 'timeout') {
    return new DirectoryError(
      'Timeout',
      `Microsoft Graph did not answer in time when trying to ${activity}${tries}. It may be slow or unreachable; try again in a few minutes.`,
      true,
    );
  }
  if (failure.kind === 'network') {
    return new DirectoryError(
      'NetworkError',
      `Microsoft Graph could not be reached to ${activity}${tries} (${failure.message}). Check the bot's network access to Microsoft Graph, then try again.`,
      true,
    );
  }
  const graphSays = failure.message ? ` Microsoft Graph says: "${failure.message}"` : '';
  if (failure.status === 429) {
    const wait = failure.retryAfterMs === undefined ? 'a few minutes' : `${Math.ceil(failure.retryAfterMs / 1000)} seconds`;
    return new DirectoryError(
      failure.code,
      `Microsoft Graph is throttling requests from this tenant and still refused to ${activity}${tries}. Try again in ${wait}.`,
      true,
    );
  }
  if (failure.status >= 500 || failure.status === 424) {
    return new DirectoryError(
      failure.code,
      `Microsoft Graph failed with an error on its side (${failure.status} ${failure.code}) when trying to ${activity}${tries}. This is usually temporary; try again later.`,
      true,
    );
  }
  if (failure.status === 401 || failure.code === 'InvalidAuthenticationToken') {
    const whose = identity === 'approver' ? "the approving admin's sign-in" : "the bot's app registration";
    return new DirectoryError(
      failure.code,
      `Microsoft Graph refused the access token of ${whose} when trying to ${activity}. Check the tenant id and the app registration the bot is configured with.${graphSays}`,
    );
  }
  if (failure.status === 403 || failure.code === 'Authorization_RequestDenied') {
    return new DirectoryError(failure.code, forbidden(action, identity));
  }
  if (failure.status === 404 || failure.code === 'Request_ResourceNotFound') {
    return new DirectoryError(
      failure.code,
      `Microsoft Graph could not find an object needed to ${activity}: it may have been deleted, or its id is wrong.${graphSays}`,
    );
  }
  if (failure.status === 400) {
    // A create refused as invalid (a rule Entra rejects, say) stays refused: only a new request helps.
    return new DirectoryError(failure.code, `Microsoft Graph refused to ${activity}.${graphSays}`, false, action === 'createGroup');
  }
  return new DirectoryError(
    failure.code || `HTTP${failure.status}`,
    `Microsoft Graph answered ${failure.status} ${failure.code} when trying to ${activity}.${graphSays}`,
  );
}

/** Graph's error body `{"error":{"code","message"}}`, from an HTTP answer or a $batch part. */
export function failureFromBody(status: number, body: unknown, retryAfterMs?: number): GraphFailure {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    kind: 'http',
    status,
    code: typeof error?.code === 'string' ? error.code : `HTTP${status}`,
    message: typeof error?.message === 'string' ? error.message : '',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}
