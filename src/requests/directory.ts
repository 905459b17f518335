import type { DirectoryObject } from '../rules/graphMapping';
import type { CreatedGroup, DirectoryPrincipal, MembershipType } from './groupRequest';

/**
 * What the requests domain needs from the directory (Microsoft Entra ID through Graph).
 * graph/ implements it; tests may fake it.
 */

/** A directory failure told in words an admin can act on. `code` is Graph's own code. */
export class DirectoryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Whether trying the same call again later may succeed (throttling, outages, timeouts). */
    readonly transient = false,
    /** Graph refused what was asked as such: the same request will be refused again, whoever retries. */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

export interface PrincipalLookup {
  found: DirectoryPrincipal[];
  /** The references that match no user, exactly as given. */
  missing: string[];
}

/** Reads made with the bot's own identity: resolving names, checking approvers. */
export interface DirectoryReader {
  /** Resolves UPNs or mail addresses to users, in as few round trips as Graph allows. */
  resolveUsers(references: readonly string[]): Promise<PrincipalLookup>;
  findServicePrincipal(appId: string): Promise<DirectoryPrincipal | undefined>;
  /** Transitive membership: true when the user is in the group directly or through nesting. */
  isMemberOf(userId: string, groupId: string): Promise<boolean>;
  /** Which of these users are in the group, directly or through nesting; users the directory does not know are not. */
  membersAmong(userIds: readonly string[], groupId: string): Promise<Set<string>>;
  /**
   * Whether any group already uses this mailNickname. Graph lets security groups share one; the
   * bot tells the requester, since two groups with one nickname confuse people and scripts.
   * `exceptUniqueName`: the request's own group, which does not count.
   */
  mailNicknameInUse(mailNickname: string, exceptUniqueName?: string): Promise<boolean>;
  /** Every user or device, a page at a time, with the properties membership rules read. */
  objects(kind: 'user' | 'device'): AsyncIterable<readonly DirectoryObject[]>;
  /** The directory roles each of these users holds, directly or through groups; users with none are left out. */
  directoryRolesOf(userIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Groups whose display name starts with `prefix`, compared without case, as Graph's startswith does. */
  groupsNamedFrom(prefix: string): Promise<CreatedGroup[]>;
}

export interface NewGroup {
  /** The group's alternate key in the directory, made from the request id: one group per request. */
  uniqueName: string;
  displayName: string;
  mailNickname: string;
  description: string;
  membershipType: MembershipType;
  membershipRule?: string;
  ownerIds: string[];
  memberIds: string[];
}

export interface MemberAddResult {
  added: string[];
  failed: { id: string; error: DirectoryError }[];
}

export interface GroupUpsert {
  group: CreatedGroup;
  /** True when this call made the group: it then holds exactly the bound owners and members. */
  created: boolean;
  boundOwners: string[];
  boundMembers: string[];
}

/** Writes, made with the identity the group is created under (the approving admin). */
export interface GroupWriter {
  /**
   * Makes the group with as many owners and members bound as one request may carry, or finds
   * the group an earlier call made under the same uniqueName: never a second group.
   */
  upsertGroup(group: NewGroup): Promise<GroupUpsert>;
  listMemberIds(groupId: string): Promise<string[]>;
  listOwnerIds(groupId: string): Promise<string[]>;
  addMembers(groupId: string, ids: readonly string[]): Promise<MemberAddResult>;
  addOwners(groupId: string, ids: readonly string[]): Promise<MemberAddResult>;
}
