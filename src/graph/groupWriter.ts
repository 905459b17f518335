import type { GroupUpsert, GroupWriter, MemberAddResult, NewGroup } from '../requests/directory';
import type { CreatedGroup } from '../requests/groupRequest';
import { GraphCallError, type GraphIdentity } from './graphErrors';
import { GraphTransport, type GraphClientOptions } from './graphTransport';
import { addMembers, addOwners } from './memberAdds';
import { queryString } from './odataText';
import { REPLICATION_WINDOW_MS } from './retryPolicy';

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

const ALREADY_EXISTS = /already exist/i;

/** `/groups(uniqueName='…')`: an OData string literal doubles its quotes. */
function byUniqueName(uniqueName: string): string {
  return `/groups(uniqueName='${encodeURIComponent(uniqueName.replace(/'/g, "''"))}')`;
}

/**
 * Creates security groups and fills them, with the identity the group is created under. The
 * group is made by upsert on its uniqueName, so sending the same creation again (a retry, a
 * resume after a crash) finds the group made before instead of making a second one.
 */
export class GraphGroupWriter implements GroupWriter {
  private readonly transport: GraphTransport;
  /** When each group this writer saw made was created, so its replication lag is waited out. */
  private readonly madeAt = new Map<string, number>();

  constructor(options: GroupWriterOptions) {
    this.transport = new GraphTransport(options, options.identity ?? 'approver');
  }

  async upsertGroup(group: NewGroup): Promise<GroupUpsert> {
    const dynamic = group.membershipType === 'dynamic';
    const boundOwners = [...new Set(group.ownerIds)].slice(0, MAX_BINDS_ON_CREATE);
    const boundMembers = dynamic ? [] : [...new Set(group.memberIds)].slice(0, MAX_BINDS_ON_CREATE - boundOwners.length);
    const bind = (ids: string[]) => ids.map((id) => this.transport.directoryObjectUrl(id));
    let made: GraphGroup | undefined;
    try {
      made = await this.transport.call<GraphGroup | undefined>({
        method: 'PATCH',
        path: byUniqueName(group.uniqueName),
        action: 'createGroup',
        headers: { Prefer: 'create-if-missing' },
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
    } catch (error) {
      // A group made before (its answer lost, or the bot stopped) that already holds some of the binds.
      const alreadyMade = error instanceof GraphCallError && error.failure.status === 400 && ALREADY_EXISTS.test(error.failure.message);
      if (!alreadyMade) throw error;
    }
    if (made?.id) {
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
