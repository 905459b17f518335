import type { NewGroup } from './directory';
import type { DirectoryPrincipal, GroupPart, GroupRequest } from './groupRequest';

/** One group a request makes, with everything its creation sends to the directory. */
export interface GroupPlan extends NewGroup {
  part: GroupPart;
}

/**
 * The alternate key of a request's group in the directory. It is made from the request id, so
 * every attempt for one request names the same group and the directory refuses to make two. A
 * request of one group keeps the key it always had; each group of the Autopilot pair has its own.
 */
export function groupUniqueName(requestId: string, part: GroupPart = 'only'): string {
  const key = `entra-group-request-${requestId.toLowerCase()}`;
  return part === 'only' ? key : `${key}-${part}`;
}

/**
 * The groups a request makes, in the order they are made. The pair's user group is made first
 * and owned by the people asked for; its device group is owned by the Intune Provisioning Client
 * (first, so it is always among the owners bound on create) and the same people, and starts
 * empty. `approverId`: the approver, made an owner of each group in app-only mode.
 */
export function groupPlans(request: GroupRequest, approverId?: string): GroupPlan[] {
  const { spec } = request;
  const ownerIds = (owners: DirectoryPrincipal[]) => [...new Set([...owners.map((o) => o.id), ...(approverId ? [approverId] : [])])];
  const asked = {
    displayName: spec.displayName,
    mailNickname: spec.mailNickname,
    description: spec.description,
    membershipType: spec.membershipType,
    membershipRule: spec.membershipRule,
    memberIds: spec.membershipType === 'assigned' ? request.members.map((m) => m.id) : [],
  };
  if (!spec.deviceGroup) return [{ part: 'only', uniqueName: groupUniqueName(request.id), ...asked, ownerIds: ownerIds(request.owners) }];
  const people = request.owners.filter((owner) => owner.kind !== 'servicePrincipal');
  return [
    { part: 'users', uniqueName: groupUniqueName(request.id, 'users'), ...asked, ownerIds: ownerIds(people) },
    {
      part: 'devices',
      uniqueName: groupUniqueName(request.id, 'devices'),
      displayName: spec.deviceGroup.displayName,
      mailNickname: spec.deviceGroup.mailNickname,
      description: spec.description,
      membershipType: 'assigned',
      ownerIds: ownerIds(request.owners),
      memberIds: [],
    },
  ];
}

/** The id of a plan's group, once the request recorded it. */
export function recordedGroupId(request: GroupRequest, part: GroupPart): string | undefined {
  return part === 'devices' ? request.attempt?.deviceGroupId : request.attempt?.groupId;
}
