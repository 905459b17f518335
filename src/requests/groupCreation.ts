import { DirectoryError, type GroupWriter, type MemberAddResult } from './directory';
import type { GroupRequest } from './groupRequest';
import type { RequestStore } from './requestStore';
import { applyEvent, type RequestEvent } from './workflow';

/** Named points of a creation, where a test can stop the process to prove recovery. */
export type CreationCheckpoint = 'beforeCreate' | 'afterCreate' | 'afterGroupRecorded' | 'afterMembersAdded';

export interface CreationDeps {
  store: RequestStore;
  now: () => string;
  checkpoint?: (point: CreationCheckpoint) => void;
  /**
   * App-only mode: the directory records the bot as the group's creator, so the approving admin
   * is made an owner to keep a person answerable for the group.
   */
  approverAsOwner?: boolean;
}

/** Writes one event as one conditional write; a refusal here is a bug in the caller. */
export async function recordEvent(store: RequestStore, request: GroupRequest, event: RequestEvent, now: string) {
  const result = applyEvent(request, event, now);
  if (!result.ok) throw new Error(`Request ${request.id}: ${result.refusal.message}`);
  await store.replace(request, result.request);
  return result.request;
}

/** Names the principals that could not be added as the requester typed them, not by object id. */
function describeFailures(kind: string, failed: MemberAddResult['failed'], request: GroupRequest): string {
  const typed = new Map([...request.members, ...request.owners].map((p) => [p.id, p.reference]));
  const shown = failed.slice(0, 5).map((f) => `${typed.get(f.id) ?? f.id} (${f.error.message})`);
  const more = failed.length > shown.length ? ` and ${failed.length - shown.length} more` : '';
  return `${failed.length} ${kind} could not be added: ${shown.join('; ')}${more}.`;
}

/**
 * Clocks of the bot and of Graph may differ by this much. A group older than the approval by
 * more was already there when the approval checked the nickname was free, so it is not ours.
 */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

function creationWindowStart(request: GroupRequest): string {
  const approvedAt = request.audit.find((entry) => entry.to === 'approved')?.at ?? request.attempt?.startedAt ?? request.createdAt;
  return new Date(Date.parse(approvedAt) - CLOCK_SKEW_MS).toISOString();
}

/**
 * Finishes the creation of a request in `creating`: finds the group a previous attempt may
 * already have made (never creates a second), creates it otherwise, then adds exactly the
 * owners and members the directory does not have yet. Safe to run again after any crash.
 */
export async function runCreation(request: GroupRequest, writer: GroupWriter, deps: CreationDeps): Promise<GroupRequest> {
  let current = request;
  const event = (e: RequestEvent) => recordEvent(deps.store, current, e, deps.now());
  try {
    const approverId = deps.approverAsOwner ? current.approver?.aadObjectId : undefined;
    const wantedOwners = [...new Set([...current.owners.map((o) => o.id), ...(approverId ? [approverId] : [])])];
    const wantedMembers = current.members.map((m) => m.id);
    let groupId = current.attempt?.groupId;
    if (!groupId) {
      const existing = await writer.findGroupByMailNickname(current.spec.mailNickname, creationWindowStart(current));
      if (existing) {
        current = await event({ type: 'groupFound', group: existing });
      } else {
        deps.checkpoint?.('beforeCreate');
        const made = await writer.createGroup({
          displayName: current.spec.displayName,
          mailNickname: current.spec.mailNickname,
          description: current.spec.description,
          membershipType: current.spec.membershipType,
          membershipRule: current.spec.membershipRule,
          ownerIds: wantedOwners,
          memberIds: wantedMembers,
        });
        deps.checkpoint?.('afterCreate');
        current = await event({ type: 'groupFound', group: made.group });
        current = await event({ type: 'membersAdded', memberIds: made.boundMembers, ownerIds: made.boundOwners });
      }
      deps.checkpoint?.('afterGroupRecorded');
      groupId = current.attempt?.groupId as string;
    }

    // The directory, not our record, says who is in: a crash may have come after Graph answered.
    const [haveOwners, haveMembers] = await Promise.all([writer.listOwnerIds(groupId), writer.listMemberIds(groupId)]);
    const missingOwners = wantedOwners.filter((id) => !haveOwners.includes(id));
    const missingMembers =
      current.spec.membershipType === 'assigned' ? wantedMembers.filter((id) => !haveMembers.includes(id)) : [];
    const owners = missingOwners.length ? await writer.addOwners(groupId, missingOwners) : { added: [], failed: [] };
    const members = missingMembers.length ? await writer.addMembers(groupId, missingMembers) : { added: [], failed: [] };
    if (owners.added.length || members.added.length) {
      current = await event({ type: 'membersAdded', memberIds: members.added, ownerIds: owners.added });
    }
    deps.checkpoint?.('afterMembersAdded');
    const problems = [
      owners.failed.length ? describeFailures('owners', owners.failed, current) : '',
      members.failed.length ? describeFailures('members', members.failed, current) : '',
    ].filter(Boolean);
    if (problems.length) {
      return await event({
        type: 'fail',
        code: 'MembersNotAdded',
        message: `The group was created, but ${problems.join(' ')} Retry adds only the missing ones.`,
      });
    }
    return await event({ type: 'created', group: { id: groupId, displayName: current.spec.displayName } });
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    const fresh = (await deps.store.get(current.id)) ?? current;
    if (fresh.status !== 'creating') return fresh;
    return recordEvent(deps.store, fresh, { type: 'fail', code: error.code, message: error.message }, deps.now());
  }
}
