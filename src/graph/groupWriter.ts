import type { GroupWriter, MemberAddResult, NewGroup } from '../requests/directory';
import type { CreatedGroup } from '../requests/groupRequest';
import type { GraphIdentity } from './graphErrors';
import { GraphTransport, type GraphClientOptions } from './graphTransport';
import { addMembers, addOwners } from './memberAdds';
import { quoted, queryString } from './odataText';

/** Graph binds at most this many owners and members together in the create request. */
export const MAX_BINDS_ON_CREATE = 20;

export interface GroupWriterOptions extends GraphClientOptions {
  /** Whose token the credential yields: the approving admin's (default) or the bot's own. */
  identity?: GraphIdentity;
}

interface GraphGroup {
  id: string;
  displayName: string;
  createdDateTime?: string;
}

/** Creates security groups and fills them, with the identity the group is created under. */
export class GraphGroupWriter implements GroupWriter {
  private readonly transport: GraphTransport;

  constructor(options: GroupWriterOptions) {
    this.transport = new GraphTransport(options, options.identity ?? 'approver');
  }

  /**
   * The newest group with this nickname created at or after `createdSince`: a group older than
   * that existed before the creation began, so it is someone else's.
   */
  async findGroupByMailNickname(mailNickname: string, createdSince: string): Promise<CreatedGroup | undefined> {
    const groups = await this.transport.all<GraphGroup>(
      `/groups${queryString({ $filter: `mailNickname eq ${quoted(mailNickname)}`, $select: 'id,displayName,createdDateTime' })}`,
      'findGroup',
    );
    const newest = groups
      .filter((group) => Date.parse(group.createdDateTime ?? '') >= Date.parse(createdSince))
      .sort((a, b) => (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''))[0];
    return newest ? { id: newest.id, displayName: newest.displayName } : undefined;
  }

  async createGroup(group: NewGroup): Promise<{ group: CreatedGroup; boundOwners: string[]; boundMembers: string[] }> {
    const dynamic = group.membershipType === 'dynamic';
    const boundOwners = [...new Set(group.ownerIds)].slice(0, MAX_BINDS_ON_CREATE);
    const boundMembers = dynamic ? [] : [...new Set(group.memberIds)].slice(0, MAX_BINDS_ON_CREATE - boundOwners.length);
    const bind = (ids: string[]) => ids.map((id) => this.transport.directoryObjectUrl(id));
    const created = await this.transport.call<GraphGroup>({
      method: 'POST',
      path: '/groups',
      action: 'createGroup',
      // Not repeated after a timeout or a server error: Graph may have made the group already.
      repeatable: false,
      body: {
        displayName: group.displayName,
        mailNickname: group.mailNickname,
        ...(group.description.trim() === '' ? {} : { description: group.description }),
        mailEnabled: false,
        securityEnabled: true,
        isAssignableToRole: false,
        groupTypes: dynamic ? ['DynamicMembership'] : [],
        ...(dynamic ? { membershipRule: group.membershipRule, membershipRuleProcessingState: 'On' } : {}),
        ...(boundOwners.length > 0 ? { 'owners@odata.bind': bind(boundOwners) } : {}),
        ...(boundMembers.length > 0 ? { 'members@odata.bind': bind(boundMembers) } : {}),
      },
    });
    return { group: { id: created.id, displayName: created.displayName }, boundOwners, boundMembers };
  }

  listMemberIds(groupId: string): Promise<string[]> {
    return this.linkIds(groupId, 'members');
  }

  listOwnerIds(groupId: string): Promise<string[]> {
    return this.linkIds(groupId, 'owners');
  }

  addMembers(groupId: string, ids: readonly string[]): Promise<MemberAddResult> {
    return addMembers(this.transport, groupId, ids);
  }

  addOwners(groupId: string, ids: readonly string[]): Promise<MemberAddResult> {
    return addOwners(this.transport, groupId, ids);
  }

  private async linkIds(groupId: string, property: 'members' | 'owners'): Promise<string[]> {
    const objects = await this.transport.all<{ id: string }>(
      `/groups/${encodeURIComponent(groupId)}/${property}${queryString({ $select: 'id', $top: 999 })}`,
      'readGroupLinks',
    );
    return objects.map((object) => object.id);
  }
}
