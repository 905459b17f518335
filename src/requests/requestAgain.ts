import type { Actor, GroupSpec } from './groupRequest';
import { isObjectId } from './objectIds';
import type { RequestFormValues } from './requestForm';
import { notFound } from './requestOutcomes';
import type { RequestContext } from './requestServiceDeps';
import { sameActor, type Refusal } from './workflow';

/**
 * "Request again" on an expired request: a new form filled with what was asked the first time.
 * It is a new form with a new id, so submitting it makes a new request, checked anew.
 */

/** The form values that ask for the same group: typed names in the boxes, picked people by id. */
export function formValuesOf(spec: GroupSpec): RequestFormValues {
  const typed = (list: string[]) => list.filter((entry) => !isObjectId(entry)).join('\n');
  const picked = (list: string[]) => list.filter(isObjectId).join(',');
  return {
    preset: spec.preset,
    displayName: spec.displayName,
    mailNickname: spec.mailNickname,
    description: spec.description,
    membershipType: spec.membershipType,
    owners: typed(spec.owners),
    ownerIds: picked(spec.owners),
    members: typed(spec.members),
    memberIds: picked(spec.members),
    membershipRule: spec.membershipRule ?? '',
    justification: spec.justification,
    ...(spec.deviceGroup ? { deviceDisplayName: spec.deviceGroup.displayName, deviceMailNickname: spec.deviceGroup.mailNickname } : {}),
  };
}

export type AskAgainOutcome = { ok: true; values: RequestFormValues } | { ok: false; refusal: Refusal };

/** Only the requester asks again; anyone else learns nothing of the request. */
export async function askAgain(ctx: RequestContext, actor: Actor, id: string): Promise<AskAgainOutcome> {
  const request = await ctx.deps.store.get(id);
  if (!request || !sameActor(actor, request.requester)) return notFound(id);
  return { ok: true, values: formValuesOf(request.spec) };
}
