import type { GroupUpsert, GroupWriter, MemberAddResult, NewGroup } from '../requests/directory';
import type { CreatedGroup } from '../requests/groupRequest';
import type { GraphIdentity } from './graphErrors';
import { GraphTransport, type GraphClientOptions } from './graphTransport';
import { GroupUpserts, type GraphGroup } from './groupUpserts';
import { addMembers, addOwners } from './memberAdds';
import { queryString } from './odataText';
import { REPLICATION_WINDOW_MS } from './retryPolicy';
import type { UpsertsByCredential } from './upsertsByCredential';

/** Graph binds at most this many owners and members together in the create request. */
export const MAX_BINDS_ON_CREATE = 20;

export interface GroupWriterOptions extends GraphClientOptions {
  /** Whose token the credential yields: the approving admin's (default) or the bot's own. */
  identity?: GraphIdentity;
  /** Shared by the writers of a server, so upserts under one credential go to Graph together; else this writer's own. */
  upserts?: UpsertsByCredential;
}

/** `/groups(uniqueName='…')`: an OData string literal doubles its quotes. */
function byUniqueName(uniqueName: string): string {
  return `/groups(uniqueName='${encodeURIComponent(uniqueName.replace(/'/g, "''"))}')`;
}

/**
 * Creates security groups and fills them, with the identity the group is created under. The
 * group is made by upsert on its uniqueName, so sending the same creation again (a retry, a
 * resume after a crash) finds the group made before instead of making a second one. Upserts
 * made together under one credential go to Graph in one $batch (see GroupUpserts).
 */
export class GraphGroupWriter implements GroupWriter {
  private readonly transport: GraphTransport;
  private readonly upserts: GroupUpserts;
  /** When each group this writer saw made was created, so its replication lag is waited out. */
  private readonly madeAt = new Map<string, number>();

  constructor(options: GroupWriterOptions) {
    this.transport = new GraphTransport(options, options.identity ?? 'approver');
    this.upserts = options.upserts?.for(options.credential, this.transport) ?? new GroupUpserts(this.transport);
  }

  async upsertGroup(group: NewGroup): Promise<GroupUpsert> {
    const dynamic = group.membershipType === 'dynamic';
    const boundOwners = [...new Set(group.ownerIds)].slice(0, MAX_BINDS_ON_CREATE);
    const boundMembers = dynamic ? [] : [...new Set(group.memberIds)].slice(0, MAX_BINDS_ON_CREATE - boundOwners.length);
    const bind = (ids: string[]) => ids.map((id) => this.transport.directoryObjectUrl(id));
    // Undefined: a group made before (its answer lost, or the bot stopped), perhaps holding some of the binds.
    const made = await this.upserts.upsert(byUniqueName(group.uniqueName), {
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
    });
    if (made) {
      // 201: made now, with exactly these binds.
      this.madeAt.set(made.id, Date.now());
      return { group: { id: made.id, displayName: made.displayName }, created: true, boundOwners, boundMembers };
    }
    return { group: await this.groupByUniqueName(group.uniqueName), created: false, boundOwners: [], boundMembers: [] };
  }

  /** The group the upsert found (204 carries no body). It exists, so a 404 can only be replication lag. */
  private async groupByUniqueName(uniqueName: string): Promise<CreatedGroup> {
    const found = await this.transport.call<GraphGroup>({
      method: 'GET',
      path: `${byUniqueName(uniqueName)}${queryString({ $select: 'id,displayName,createdDateTime' })}`,
      action: 'findGroup',
      replicatingUntil: Date.now() + REPLICATION_WINDOW_MS,
    });
    const createdAt = Date.parse(found.createdDateTime ?? '');
    if (Number.isFinite(createdAt)) this.madeAt.set(found.id, createdAt);
    return { id: found.id, displayName: found.displayName };
  }

  /** Until when calls naming this group take a 404 for replication lag: two minutes after it was made. */
  private replicatingUntil(groupId: string): number | undefined {
    const madeAt = this.madeAt.get(groupId);
    return madeAt === undefined ? undefined : madeAt + REPLICATION_WINDOW_MS;
  }

  listMemberIds(groupId: string): Promise<string[]> {
    return this.linkIds(groupId, 'members');
  }

  listOwnerIds(groupId: string): Promise<string[]> {
    return this.linkIds(groupId, 'owners');
  }

  addMembers(groupId: string, ids: readonly string[]): Promise<MemberAddResult> {
    return addMembers(this.transport, groupId, ids, this.replicatingUntil(groupId));
  }

  addOwners(groupId: string, ids: readonly string[]): Promise<MemberAddResult> {
    return addOwners(this.transport, groupId, ids, this.replicatingUntil(groupId));
  }

  private async linkIds(groupId: string, property: 'members' | 'owners'): Promise<string[]> {
    const ids: string[] = [];
    const path = `/groups/${encodeURIComponent(groupId)}/${property}${queryString({ $select: 'id', $top: 999 })}`;
    for await (const page of this.transport.pages<{ id: string }>(path, 'readGroupLinks', this.replicatingUntil(groupId))) {
      ids.push(...page.map((object) => object.id));
    }
    return ids;
  }
}
