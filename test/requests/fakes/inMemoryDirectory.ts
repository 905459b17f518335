import { randomUUID } from 'node:crypto';
import type { DirectoryObject } from '../../../src/rules/graphMapping';
import type {
  DirectoryError,
  DirectoryReader,
  GroupUpsert,
  GroupWriter,
  MemberAddResult,
  NewGroup,
  PrincipalLookup,
} from '../../../src/requests/directory';
import type { CreatedGroup, DirectoryPrincipal } from '../../../src/requests/groupRequest';

interface StoredGroup extends NewGroup {
  id: string;
}

/**
 * A small directory held in memory, for unit tests of the requests domain: users found by
 * UPN or object id (without case, as Entra compares them), one approvers group, and the groups
 * written through it, one per uniqueName as Graph's upsert keeps them.
 */
export class InMemoryDirectory implements DirectoryReader, GroupWriter {
  readonly groups: StoredGroup[] = [];
  private readonly users: DirectoryPrincipal[] = [];
  private readonly approvers = new Set<string>();
  /** The error Graph answers the next group creation with, once. */
  private createRefusal?: DirectoryError;

  addUser(upn: string, options: { approver?: boolean } = {}): DirectoryPrincipal {
    const user: DirectoryPrincipal = { id: randomUUID(), displayName: upn.split('@')[0], reference: upn, kind: 'user' };
    this.users.push(user);
    if (options.approver) this.approvers.add(user.id);
    return user;
  }

  refuseNextCreate(error: DirectoryError): void {
    this.createRefusal = error;
  }

  async resolveUsers(references: readonly string[]): Promise<PrincipalLookup> {
    const found: DirectoryPrincipal[] = [];
    const missing: string[] = [];
    for (const reference of references) {
      const user = this.users.find((u) => [u.reference, u.id].some((key) => key.toLowerCase() === reference.toLowerCase()));
      if (user) found.push({ ...user, reference });
      else missing.push(reference);
    }
    return { found, missing };
  }

  /** Service principals by appId: none until a test adds one. */
  readonly servicePrincipals = new Map<string, DirectoryPrincipal>();

  addServicePrincipal(appId: string, displayName: string): DirectoryPrincipal {
    const principal: DirectoryPrincipal = { id: randomUUID(), displayName, reference: appId, kind: 'servicePrincipal' };
    this.servicePrincipals.set(appId, principal);
    return principal;
  }

  async findServicePrincipal(appId: string): Promise<DirectoryPrincipal | undefined> {
    return this.servicePrincipals.get(appId);
  }

  async isMemberOf(userId: string): Promise<boolean> {
    return this.approvers.has(userId);
  }

  async membersAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.approvers.has(id)));
  }

  async mailNicknameInUse(mailNickname: string, exceptUniqueName?: string): Promise<boolean> {
    return this.groups.some((g) => g.mailNickname.toLowerCase() === mailNickname.toLowerCase() && g.uniqueName !== exceptUniqueName);
  }

  async *objects(kind: 'user' | 'device'): AsyncIterable<readonly DirectoryObject[]> {
    if (kind === 'user') yield this.users.map((u) => ({ id: u.id, displayName: u.displayName, userPrincipalName: u.reference }));
  }

  async directoryRolesOf(): Promise<Map<string, string[]>> {
    return new Map();
  }

  async groupsNamedFrom(prefix: string): Promise<CreatedGroup[]> {
    return this.groups
      .filter((g) => g.displayName.toLowerCase().startsWith(prefix.toLowerCase()))
      .map((g) => ({ id: g.id, displayName: g.displayName }));
  }

  async upsertGroup(group: NewGroup): Promise<GroupUpsert> {
    const refusal = this.createRefusal;
    this.createRefusal = undefined;
    if (refusal) throw refusal;
    const existing = this.groups.find((g) => g.uniqueName === group.uniqueName);
    if (existing)
      return { group: { id: existing.id, displayName: existing.displayName }, created: false, boundOwners: [], boundMembers: [] };
    const made = { ...group, id: randomUUID() };
    this.groups.push(made);
    return {
      group: { id: made.id, displayName: made.displayName },
      created: true,
      boundOwners: group.ownerIds,
      boundMembers: group.memberIds,
    };
  }

  async listMemberIds(groupId: string): Promise<string[]> {
    return [...this.group(groupId).memberIds];
  }

  async listOwnerIds(groupId: string): Promise<string[]> {
    return [...this.group(groupId).ownerIds];
  }

  async addMembers(groupId: string, ids: readonly string[]): Promise<MemberAddResult> {
    this.group(groupId).memberIds.push(...ids);
    return { added: [...ids], failed: [] };
  }

  async addOwners(groupId: string, ids: readonly string[]): Promise<MemberAddResult> {
    this.group(groupId).ownerIds.push(...ids);
    return { added: [...ids], failed: [] };
  }

  private group(id: string): StoredGroup {
    const group = this.groups.find((g) => g.id === id);
    if (!group) throw new Error(`No group ${id} in the in-memory directory.`);
    return group;
  }
}
