import { DirectoryError, type GroupWriter, type MemberAddResult } from './directory';
import type { CreatedGroup, GroupPart, GroupRequest } from './groupRequest';
import { groupPlans, recordedGroupId, type GroupPlan } from './groupPlans';
import { changesBetween } from './requestChange';
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
  /**
   * Whether a group other than the request's own took its mail nickname since submission.
   * Graph allows it for security groups; the bot stops, so no two groups share a nickname by its hand.
   */
  nicknameTakenByAnotherGroup?: (mailNickname: string, uniqueName: string) => Promise<boolean>;
}

/** Writes one event, with the changes it causes, as one conditional write; a refusal here is a bug in the caller. */
export async function recordEvent(store: RequestStore, request: GroupRequest, event: RequestEvent, now: string) {
  const result = applyEvent(request, event, now);
  if (!result.ok) throw new Error(`Request ${request.id}: ${result.refusal.message}`);
  await store.replace(request, result.request, changesBetween(request, result.request));
  return result.request;
}

function without(wanted: readonly string[], have: readonly string[]): string[] {
  const present = new Set(have);
  return wanted.filter((id) => !present.has(id));
}

/** Names the principals that could not be added as the requester typed them, not by object id. */
function describeFailures(kind: string, failed: MemberAddResult['failed'], request: GroupRequest): string {
  const typed = new Map([...request.members, ...request.owners].map((p) => [p.id, p.reference]));
  const shown = failed.slice(0, 5).map((f) => `${typed.get(f.id) ?? f.id} (${f.error.message})`);
  const more = failed.length > shown.length ? ` and ${failed.length - shown.length} more` : '';
  return `${failed.length} ${kind} could not be added: ${shown.join('; ')}${more}.`;
}

/** How a failure message names a group of the request. */
function groupWords(part: GroupPart): string {
  return part === 'devices' ? 'device group' : part === 'users' ? 'user group' : 'group';
}

/**
 * Finishes the creation of a request in `creating` with calls that Graph makes idempotent: an
 * upsert by each group's uniqueName creates the group, or finds the one an earlier attempt made.
 * A group made by this call holds exactly what was bound, so only the rest is added; a group made
 * before is read back first and given only what it lacks. The Autopilot pair's two groups are
 * made one after the other, so a crash or a failure between them leaves the first recorded and
 * the next run makes only the second. Safe to run again after any crash.
 */
export async function runCreation(request: GroupRequest, writer: GroupWriter, deps: CreationDeps): Promise<GroupRequest> {
  let current = request;
  const event = (e: RequestEvent) => recordEvent(deps.store, current, e, deps.now());
  try {
    const plans = groupPlans(current, deps.approverAsOwner ? current.approver?.aadObjectId : undefined);
    for (const plan of plans) {
      if (!recordedGroupId(current, plan.part) && (await deps.nicknameTakenByAnotherGroup?.(plan.mailNickname, plan.uniqueName))) {
        return await event({
          type: 'fail',
          code: 'mailNicknameTaken',
          message: `Since this request was submitted, another group took the mail nickname ${plan.mailNickname}, so the bot did not create a second one. Reject or abandon this request and ask for another nickname.`,
        });
      }
    }
    const made: CreatedGroup[] = [];
    const problems: string[] = [];
    for (const plan of plans) {
      const filled = await makeGroup(current, plan, writer, deps);
      current = filled.request;
      made.push(filled.group);
      if (filled.problem) problems.push(filled.problem);
    }
    if (problems.length) {
      return await event({ type: 'fail', code: 'membersNotAdded', message: `${problems.join(' ')} Retry adds only the missing ones.` });
    }
    const [group, deviceGroup] = made;
    return await event({ type: 'created', group, ...(deviceGroup ? { deviceGroup } : {}) });
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    const fresh = (await deps.store.get(current.id)) ?? current;
    if (fresh.status !== 'creating') return fresh;
    return recordEvent(
      deps.store,
      fresh,
      { type: 'fail', code: error.code, message: error.message, permanent: error.permanent },
      deps.now(),
    );
  }
}

/** Makes or finds one group of the request and gives it what it lacks; says who could not be added. */
async function makeGroup(
  request: GroupRequest,
  plan: GroupPlan,
  writer: GroupWriter,
  deps: CreationDeps,
): Promise<{ request: GroupRequest; group: CreatedGroup; problem?: string }> {
  let current = request;
  const event = (e: RequestEvent) => recordEvent(deps.store, current, e, deps.now());
  const part = plan.part === 'only' ? {} : { part: plan.part };
  deps.checkpoint?.('beforeCreate');
  const made = await writer.upsertGroup(plan);
  deps.checkpoint?.('afterCreate');
  const groupId = made.group.id;
  if (recordedGroupId(current, plan.part) !== groupId) current = await event({ type: 'groupFound', group: made.group, ...part });
  if (made.boundMembers.length || made.boundOwners.length) {
    current = await event({ type: 'membersAdded', memberIds: made.boundMembers, ownerIds: made.boundOwners, ...part });
  }
  deps.checkpoint?.('afterGroupRecorded');

  // A group made just now holds what was bound; one made before is asked, since a crash may
  // have come after Graph answered and before the bot wrote down what it heard.
  const [haveOwners, haveMembers] = made.created
    ? [made.boundOwners, made.boundMembers]
    : await Promise.all([writer.listOwnerIds(groupId), plan.memberIds.length ? writer.listMemberIds(groupId) : []]);
  const missingOwners = without(plan.ownerIds, haveOwners);
  const missingMembers = without(plan.memberIds, haveMembers);
  const owners = missingOwners.length ? await writer.addOwners(groupId, missingOwners) : { added: [], failed: [] };
  const members = missingMembers.length ? await writer.addMembers(groupId, missingMembers) : { added: [], failed: [] };
  if (owners.added.length || members.added.length) {
    current = await event({ type: 'membersAdded', memberIds: members.added, ownerIds: owners.added, ...part });
  }
  deps.checkpoint?.('afterMembersAdded');
  const problems = [
    owners.failed.length ? describeFailures('owners', owners.failed, current) : '',
    members.failed.length ? describeFailures('members', members.failed, current) : '',
  ].filter(Boolean);
  const group = { id: groupId, displayName: plan.displayName };
  if (!problems.length) return { request: current, group };
  return { request: current, group, problem: `The ${groupWords(plan.part)} was created, but ${problems.join(' ')}` };
}
