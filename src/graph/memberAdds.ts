import type { DirectoryError, MemberAddResult } from '../requests/directory';
import { isAlreadyThere, type GraphAction } from './graphErrors';
import { succeeded, type GraphTransport } from './graphTransport';

/**
 * Adding members and owners to an existing group. Members go 20 to a PATCH (Graph's limit per
 * request), the PATCHes 20 to a JSON batch. A PATCH is all or nothing: when Graph refuses one
 * (a member already there, an id it cannot find), its members are added one by one so each gets
 * its own answer. Owners can only be added one per request. "Already exists" counts as added,
 * which makes every step safe to repeat.
 */

export const MEMBERS_PER_PATCH = 20;

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

async function addOneByOne(
  transport: GraphTransport,
  groupId: string,
  property: 'members' | 'owners',
  ids: readonly string[],
  replicatingUntil: number | undefined,
): Promise<MemberAddResult> {
  const action: GraphAction = property === 'members' ? 'addMembers' : 'addOwners';
  const results = await transport.batch(
    ids.map((id) => ({
      method: 'POST' as const,
      url: `/groups/${encodeURIComponent(groupId)}/${property}/$ref`,
      body: { '@odata.id': transport.directoryObjectUrl(id) },
    })),
    action,
    replicatingUntil,
  );
  const added: string[] = [];
  const failed: { id: string; error: DirectoryError }[] = [];
  results.forEach((result, index) => {
    if (succeeded(result) || isAlreadyThere(result.failure)) added.push(ids[index]);
    else failed.push({ id: ids[index], error: transport.partError(result, action) });
  });
  return { added, failed };
}

/** `replicatingUntil`: until when the group is young enough that a 404 may be replication lag. */
export async function addMembers(
  transport: GraphTransport,
  groupId: string,
  ids: readonly string[],
  replicatingUntil?: number,
): Promise<MemberAddResult> {
  const members = unique(ids);
  const chunks: string[][] = [];
  for (let i = 0; i < members.length; i += MEMBERS_PER_PATCH) chunks.push(members.slice(i, i + MEMBERS_PER_PATCH));
  const results = await transport.batch(
    chunks.map((chunk) => ({
      method: 'PATCH' as const,
      url: `/groups/${encodeURIComponent(groupId)}`,
      body: { 'members@odata.bind': chunk.map((id) => transport.directoryObjectUrl(id)) },
    })),
    'addMembers',
    replicatingUntil,
  );
  const outcome: MemberAddResult = { added: [], failed: [] };
  const retryAlone: string[] = [];
  results.forEach((result, index) => {
    const chunk = chunks[index];
    if (succeeded(result)) outcome.added.push(...chunk);
    else if (result.failure && (result.status === 400 || result.status === 404)) retryAlone.push(...chunk);
    else outcome.failed.push(...chunk.map((id) => ({ id, error: transport.partError(result, 'addMembers') })));
  });
  if (retryAlone.length > 0) {
    const single = await addOneByOne(transport, groupId, 'members', retryAlone, replicatingUntil);
    outcome.added.push(...single.added);
    outcome.failed.push(...single.failed);
  }
  return outcome;
}

export function addOwners(
  transport: GraphTransport,
  groupId: string,
  ids: readonly string[],
  replicatingUntil?: number,
): Promise<MemberAddResult> {
  return addOneByOne(transport, groupId, 'owners', unique(ids), replicatingUntil);
}
