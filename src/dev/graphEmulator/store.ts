import { randomUUID } from 'node:crypto';
import type { Caller } from '../callerIdentity';
import type { DirectoryFixture } from './fixture';

/** The emulated directory held in memory: users, devices, service principals, groups and links. */

export type PropertyBag = { id: string } & Record<string, unknown>;

export type DirectoryObjectType = 'user' | 'device' | 'servicePrincipal' | 'group';

export interface GroupRecord {
  id: string;
  displayName: string;
  mailNickname: string;
  description: string | null;
  securityEnabled: boolean;
  mailEnabled: boolean;
  groupTypes: string[];
  membershipRule: string | null;
  membershipRuleProcessingState: string | null;
  isAssignableToRole: boolean;
  /** Graph's alternate key: set once at creation, unique in the tenant, never changed. */
  uniqueName: string | null;
  createdDateTime: string;
  /** Insertion-ordered, so paging is stable. */
  members: Set<string>;
  owners: Set<string>;
  /** Who created it through the emulator; undefined for groups seeded from the fixture. */
  createdBy?: Caller;
}

export type NewGroupRecord = Omit<GroupRecord, 'id' | 'uniqueName' | 'createdDateTime' | 'members' | 'owners' | 'createdBy'>;

export type LinkProperty = 'members' | 'owners';

export interface DirectoryObject {
  type: DirectoryObjectType;
  id: string;
  properties: PropertyBag;
}

export class DirectoryStore {
  private usersById = new Map<string, PropertyBag>();
  private devicesById = new Map<string, PropertyBag>();
  private servicePrincipalsById = new Map<string, PropertyBag>();
  private groupsById = new Map<string, GroupRecord>();
  private rolesByPrincipal = new Map<string, string[]>();
  /** When each group made here becomes visible to reads and link writes by id (replication lag). */
  private replicatedAt = new Map<string, number>();
  /** Group ids by lower-cased uniqueName. */
  private idsByUniqueName = new Map<string, string>();
  /** How long a new group stays invisible to reads and link writes, as Entra's replicas catch up. */
  replicationLagMs = 0;
  tenant: DirectoryFixture['tenant'];

  constructor(fixture: DirectoryFixture) {
    this.tenant = fixture.tenant;
    this.load(fixture);
  }

  /** Replaces everything with the fixture's content. */
  load(fixture: DirectoryFixture): void {
    this.tenant = fixture.tenant;
    const clone = <T>(value: T): T => structuredClone(value);
    this.usersById = new Map(fixture.users.map((user) => [user.id, clone(user) as PropertyBag]));
    this.devicesById = new Map(fixture.devices.map((device) => [device.id, clone(device) as PropertyBag]));
    this.servicePrincipalsById = new Map(fixture.servicePrincipals.map((sp) => [sp.id, clone(sp) as PropertyBag]));
    this.groupsById = new Map(
      fixture.groups.map(({ members, owners, ...group }) => [
        group.id,
        { uniqueName: null, ...clone(group), members: new Set(members), owners: new Set(owners) },
      ]),
    );
    this.replicatedAt = new Map();
    this.idsByUniqueName = new Map();
    this.replicationLagMs = 0;
    this.rolesByPrincipal = new Map();
    for (const { principalId, role } of fixture.roleAssignments) {
      this.rolesByPrincipal.set(principalId, [...(this.rolesByPrincipal.get(principalId) ?? []), role]);
    }
  }

  users(): PropertyBag[] {
    return [...this.usersById.values()];
  }

  devices(): PropertyBag[] {
    return [...this.devicesById.values()];
  }

  servicePrincipals(): PropertyBag[] {
    return [...this.servicePrincipalsById.values()];
  }

  groups(): GroupRecord[] {
    return [...this.groupsById.values()];
  }

  group(id: string): GroupRecord | undefined {
    return this.groupsById.get(id.toLowerCase());
  }

  /** Alternate keys compare case-insensitively, as Graph's do. */
  groupByUniqueName(uniqueName: string): GroupRecord | undefined {
    const id = this.idsByUniqueName.get(uniqueName.toLowerCase());
    return id === undefined ? undefined : this.groupsById.get(id);
  }

  /** Whether reads and link writes that name this group still miss it: it was created less than the lag ago. */
  replicating(group: GroupRecord): boolean {
    return (this.replicatedAt.get(group.id) ?? 0) > Date.now();
  }

  /** A user by object id or userPrincipalName (case-insensitive), as GET /users/{id | UPN} accepts. */
  user(idOrUpn: string): PropertyBag | undefined {
    const key = idOrUpn.toLowerCase();
    return this.usersById.get(key) ?? this.users().find((user) => String(user.userPrincipalName).toLowerCase() === key);
  }

  servicePrincipal(id: string): PropertyBag | undefined {
    return this.servicePrincipalsById.get(id.toLowerCase());
  }

  /** Deletes an application's service principal, as in a tenant that never had it; false when there was none. */
  removeServicePrincipal(appId: string): boolean {
    const found = this.servicePrincipals().find((sp) => String(sp.appId).toLowerCase() === appId.toLowerCase());
    return found ? this.servicePrincipalsById.delete(String(found.id)) : false;
  }

  /** Makes an application's service principal, with a new object id, as New-MgServicePrincipal -AppId does. */
  addServicePrincipal(appId: string, displayName: string): PropertyBag {
    const servicePrincipal: PropertyBag = {
      id: randomUUID(),
      appId: appId.toLowerCase(),
      displayName,
      servicePrincipalType: 'Application',
      accountEnabled: true,
      appOwnerOrganizationId: this.tenant.id,
    };
    this.servicePrincipalsById.set(String(servicePrincipal.id), servicePrincipal);
    return servicePrincipal;
  }

  device(id: string): PropertyBag | undefined {
    return this.devicesById.get(id.toLowerCase());
  }

  object(id: string): DirectoryObject | undefined {
    const key = id.toLowerCase();
    const user = this.usersById.get(key);
    if (user) return { type: 'user', id: key, properties: user };
    const device = this.devicesById.get(key);
    if (device) return { type: 'device', id: key, properties: device };
    const sp = this.servicePrincipalsById.get(key);
    if (sp) return { type: 'servicePrincipal', id: key, properties: sp };
    const group = this.groupsById.get(key);
    if (group) return { type: 'group', id: key, properties: groupProperties(group, this.tenant.domains[0]) };
    return undefined;
  }

  rolesOf(principalId: string): readonly string[] {
    return this.rolesByPrincipal.get(principalId) ?? [];
  }

  /** Roles held directly or through a (role-assignable) group the principal is in, transitively. */
  transitiveRolesOf(principalId: string): string[] {
    const key = principalId.toLowerCase();
    const held = [...this.rolesByPrincipal].filter(([holder]) => holder === key || this.isTransitiveMember(key, holder));
    return [...new Set(held.flatMap(([, roles]) => roles))];
  }

  createGroup(
    group: NewGroupRecord,
    links: { owners: string[]; members: string[] },
    createdBy: Caller,
    uniqueName: string | null = null,
  ): GroupRecord {
    const record: GroupRecord = {
      ...group,
      uniqueName,
      id: randomUUID(),
      createdDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      members: new Set(links.members),
      owners: new Set(links.owners),
      createdBy,
    };
    this.groupsById.set(record.id, record);
    if (uniqueName !== null) this.idsByUniqueName.set(uniqueName.toLowerCase(), record.id);
    if (this.replicationLagMs > 0) this.replicatedAt.set(record.id, Date.now() + this.replicationLagMs);
    return record;
  }

  addLinks(groupId: string, property: LinkProperty, ids: readonly string[]): void {
    const group = this.groupsById.get(groupId);
    if (!group) throw new Error(`No group ${groupId}`);
    for (const id of ids) group[property].add(id);
  }

  /** Whether `memberId` is in the group directly or through nested groups. */
  /** The users in a group, directly or through nested groups, each once (Graph's `transitiveMembers/microsoft.graph.user`). */
  transitiveUsers(groupId: string): PropertyBag[] {
    const visited = new Set<string>();
    const users = new Map<string, PropertyBag>();
    const walk = (id: string) => {
      const group = this.groupsById.get(id);
      if (!group || visited.has(id)) return;
      visited.add(id);
      for (const member of group.members) {
        const user = this.usersById.get(member);
        if (user) users.set(member, user);
        else walk(member);
      }
    };
    walk(groupId.toLowerCase());
    return [...users.values()];
  }

  isTransitiveMember(memberId: string, groupId: string, visited = new Set<string>()): boolean {
    const group = this.groupsById.get(groupId);
    if (!group || visited.has(groupId)) return false;
    visited.add(groupId);
    if (group.members.has(memberId)) return true;
    return [...group.members].some((id) => this.groupsById.has(id) && this.isTransitiveMember(memberId, id, visited));
  }
}

/** A group as Graph returns it. */
export function groupProperties(group: GroupRecord, mailDomain: string): PropertyBag {
  return {
    id: group.id,
    createdDateTime: group.createdDateTime,
    description: group.description,
    displayName: group.displayName,
    groupTypes: group.groupTypes,
    isAssignableToRole: group.isAssignableToRole,
    mail: group.mailEnabled ? `${group.mailNickname}@${mailDomain}` : null,
    mailEnabled: group.mailEnabled,
    mailNickname: group.mailNickname,
    membershipRule: group.membershipRule,
    membershipRuleProcessingState: group.membershipRuleProcessingState,
    securityEnabled: group.securityEnabled,
    uniqueName: group.uniqueName,
    visibility: null,
  };
}
