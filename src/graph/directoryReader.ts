import type { DirectoryReader, PrincipalLookup } from '../requests/directory';
import type { CreatedGroup, DirectoryPrincipal } from '../requests/groupRequest';
import type { DirectoryObject } from '../rules/graphMapping';
import { GraphTransport, MAX_BATCH_PARTS, succeeded, type GraphClientOptions } from './graphTransport';
import { NicknameLookups } from './nicknameLookups';
import { quoted, queryString } from './odataText';
import { resolveUsers } from './userResolution';

/** Largest page Graph serves for users and devices. */
const PAGE_SIZE = 999;

/** The Graph properties behind every user property a membership rule can name. */
export const RULE_USER_PROPERTIES = [
  'displayName',
  'accountEnabled',
  'onPremisesSyncEnabled',
  'employeeHireDate',
  'city',
  'country',
  'companyName',
  'department',
  'employeeId',
  'faxNumber',
  'givenName',
  'jobTitle',
  'mail',
  'mailNickname',
  'mobilePhone',
  'onPremisesDistinguishedName',
  'onPremisesSecurityIdentifier',
  'passwordPolicies',
  'officeLocation',
  'postalCode',
  'preferredLanguage',
  'state',
  'streetAddress',
  'surname',
  'businessPhones',
  'usageLocation',
  'userPrincipalName',
  'userType',
  'onPremisesExtensionAttributes',
  'otherMails',
  'proxyAddresses',
  'assignedPlans',
] as const;

/** The Graph properties behind every device property a membership rule can name. */
export const RULE_DEVICE_PROPERTIES = [
  'displayName',
  'accountEnabled',
  'deviceCategory',
  'deviceId',
  'mdmAppId',
  'manufacturer',
  'model',
  'operatingSystem',
  'operatingSystemVersion',
  'deviceOwnership',
  'physicalIds',
  'trustType',
  'enrollmentProfileName',
  'extensionAttributes',
  'managementType',
  'profileType',
  'systemLabels',
] as const;

/**
 * Directory reads with the bot's own identity: resolving requested users, the Intune
 * Provisioning Client, approver checks, and paged reads of users and devices for rule previews.
 */
export class GraphDirectoryReader implements DirectoryReader {
  private readonly transport: GraphTransport;
  private readonly nicknames: NicknameLookups;

  constructor(options: GraphClientOptions) {
    this.transport = new GraphTransport(options, 'bot');
    this.nicknames = new NicknameLookups(this.transport);
  }

  resolveUsers(references: readonly string[]): Promise<PrincipalLookup> {
    return resolveUsers(this.transport, references);
  }

  async findServicePrincipal(appId: string): Promise<DirectoryPrincipal | undefined> {
    const page = await this.transport.call<{ value: { id: string; displayName: string; appId: string }[] }>({
      method: 'GET',
      path: `/servicePrincipals${queryString({ $filter: `appId eq ${quoted(appId)}`, $select: 'id,appId,displayName' })}`,
      action: 'findServicePrincipal',
    });
    const servicePrincipal = page.value[0];
    return servicePrincipal
      ? { id: servicePrincipal.id, displayName: servicePrincipal.displayName, reference: appId, kind: 'servicePrincipal' }
      : undefined;
  }

  async isMemberOf(userId: string, groupId: string): Promise<boolean> {
    try {
      const answer = await this.transport.call<{ value: string[] }>({
        method: 'POST',
        path: `/users/${encodeURIComponent(userId)}/checkMemberGroups`,
        body: { groupIds: [groupId] },
        action: 'checkMembership',
      });
      return answer.value.some((id) => id.toLowerCase() === groupId.toLowerCase());
    } catch (error) {
      // A user the directory does not know (say, from another tenant) is in none of its groups.
      if ((error as { code?: string }).code === 'Request_ResourceNotFound') return false;
      throw error;
    }
  }

  /**
   * A few users: one $batch of `checkMemberGroups`, transitive as at a decision. More: the group's
   * users read once (`transitiveMembers`, 999 a page), fewer calls than 20 users a $batch for the
   * people of a team, since an approvers group is much smaller than a team.
   */
  async membersAmong(userIds: readonly string[], groupId: string): Promise<Set<string>> {
    const ids = [...new Set(userIds)];
    if (ids.length > MAX_BATCH_PARTS) {
      const path = `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user${queryString({ $select: 'id', $top: 999 })}`;
      const members = new Set((await this.transport.all<{ id: string }>(path, 'checkMembership')).map((user) => user.id.toLowerCase()));
      return new Set(ids.filter((id) => members.has(id.toLowerCase())));
    }
    const results = await this.transport.batch(
      ids.map((id) => ({
        method: 'POST' as const,
        url: `/users/${encodeURIComponent(id)}/checkMemberGroups`,
        body: { groupIds: [groupId] },
      })),
      'checkMembership',
    );
    const members = new Set<string>();
    results.forEach((result, index) => {
      // A user the directory does not know (say, a guest from another tenant) is in none of its groups.
      if (result.status === 404) return;
      if (!succeeded(result)) throw this.transport.partError(result, 'checkMembership');
      if ((result.body as { value: string[] }).value.some((id) => id.toLowerCase() === groupId.toLowerCase())) members.add(ids[index]);
    });
    return members;
  }

  /** A creation's check (it names its own group) runs in the background, so it may wait to go with others. */
  async mailNicknameInUse(mailNickname: string, exceptUniqueName?: string): Promise<boolean> {
    const own = exceptUniqueName?.toLowerCase();
    const groups = await this.nicknames.groupsUsing(mailNickname, own !== undefined);
    return groups.some((group) => own === undefined || group.uniqueName?.toLowerCase() !== own);
  }

  /**
   * Graph's documented way to a user's roles, `transitiveMemberOf/microsoft.graph.directoryRole`
   * (roles held through role-assignable groups included), one query per user, 20 to a $batch.
   */
  async directoryRolesOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const ids = [...new Set(userIds)];
    const results = await this.transport.batch(
      ids.map((id) => ({
        method: 'GET' as const,
        url: `/users/${encodeURIComponent(id)}/transitiveMemberOf/microsoft.graph.directoryRole${queryString({ $select: 'id,displayName' })}`,
      })),
      'readDirectoryRoles',
    );
    const roles = new Map<string, string[]>();
    results.forEach((result, index) => {
      if (!succeeded(result)) throw this.transport.partError(result, 'readDirectoryRoles');
      // Without a permission to read roles Graph still lists them, with only their id and type.
      const names = (result.body as { value: { id: string; displayName: string | null }[] }).value.map(
        (role) => role.displayName ?? `a directory role (${role.id})`,
      );
      if (names.length) roles.set(ids[index], names);
    });
    return roles;
  }

  /** One page is plenty: these are the groups whose names a new one could be mistaken for. */
  async groupsNamedFrom(prefix: string): Promise<CreatedGroup[]> {
    const page = await this.transport.call<{ value: CreatedGroup[] }>({
      method: 'GET',
      path: `/groups${queryString({ $filter: `startswith(displayName,${quoted(prefix)})`, $select: 'id,displayName', $top: PAGE_SIZE })}`,
      action: 'findSimilarGroups',
    });
    return page.value.map(({ id, displayName }) => ({ id, displayName }));
  }

  /** Every user or device, a page at a time, with the properties membership rules read. */
  objects(kind: 'user' | 'device'): AsyncIterable<readonly DirectoryObject[]> {
    return kind === 'user' ? this.users(RULE_USER_PROPERTIES) : this.devices(RULE_DEVICE_PROPERTIES);
  }

  /** Every user, a page at a time, with the given properties. */
  users<T extends { id: string } = { id: string } & Record<string, unknown>>(select: readonly string[]): AsyncGenerator<T[]> {
    return this.transport.pages<T>(
      `/users${queryString({ $select: [...new Set(['id', ...select])].join(','), $top: PAGE_SIZE })}`,
      'readDirectory',
    );
  }

  /** Every device, a page at a time, with the given properties. */
  devices<T extends { id: string } = { id: string } & Record<string, unknown>>(select: readonly string[]): AsyncGenerator<T[]> {
    return this.transport.pages<T>(
      `/devices${queryString({ $select: [...new Set(['id', ...select])].join(','), $top: PAGE_SIZE })}`,
      'readDirectory',
    );
  }
}
