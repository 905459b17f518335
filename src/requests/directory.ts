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
  /**
   * Whether any group already uses this mailNickname. Graph lets security groups share one; the
   * bot refuses it (and a nickname another open request holds), since after a crash it finds
   * its own group by nickname and creation time.
   */
  mailNicknameInUse(mailNickname: string): Promise<boolean>;
  /** Every user or device, a page at a time, with the properties membership rules read. */
  objects(kind: 'user' | 'device'): AsyncIterable<readonly DirectoryObject[]>;
}

export interface NewGroup {
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

/** Writes, made with the identity the group is created under (the approving admin). */
export interface GroupWriter {
  /**
   * The group with that mailNickname made at or after `createdSince` (ISO), if any: how a
   * creation interrupted after Graph answered finds its group instead of making a second.
   */
  findGroupByMailNickname(mailNickname: string, createdSince: string): Promise<CreatedGroup | undefined>;
  /** Creates the group with as many owners and members bound as one request may carry. */
  createGroup(group: NewGroup): Promise<{ group: CreatedGroup; boundOwners: string[]; boundMembers: string[] }>;
  listMemberIds(groupId: string): Promise<string[]>;
  listOwnerIds(groupId: string): Promise<string[]>;
  addMembers(groupId: string, ids: readonly string[]): Promise<MemberAddResult>;
  addOwners(groupId: string, ids: readonly string[]): Promise<MemberAddResult>;
}
