import { chooseRoute } from './approvalPolicy';
import type { Actor, CardLocations, DirectoryPrincipal, GroupRequest } from './groupRequest';
import { listNames } from './nameList';
import { isObjectId } from './objectIds';
import { presetOwners } from './presetOwners';
import { changesBetween } from './requestChange';
import { checkRequestForm, onlyProblems, type FieldErrors, type RequestFormValues } from './requestForm';
import { randomRequestId, requestIdFor } from './requestIds';
import type { SubmitOutcome } from './requestOutcomes';
import { directoryRoles, lookalikesOfAll, preview } from './requestPreviews';
import type { RequestContext } from './requestServiceDeps';
import { MailNicknameHeldError, RequestAlreadyExistsError } from './requestStore';
import { sameActor } from './workflow';

function nicknameHeldMessage(holder: GroupRequest | string, mailNickname: string): string {
  const named = typeof holder === 'string' ? holder : `${holder.id} ("${holder.spec.displayName}")`;
  return `Request ${named} already asks for the mail nickname ${mailNickname}: choose another.`;
}

/** The names the directory does not know, counted in full and listed up to a bound. */
const unknownNames = (missing: string[], listed?: number): string | undefined =>
  missing.length ? `No user in the directory is called ${listNames(missing, listed)}.` : undefined;

/** Picked people the directory does not know (since deleted, or from a forged card). */
const unknownIds = (missing: string[]): string | undefined =>
  missing.length ? `No user in the directory has the object id ${listNames(missing)}: pick them again.` : undefined;

/** Another request not yet settled that would make a group with this nickname: one keyed read. */
async function openRequestWithNickname(ctx: RequestContext, mailNickname: string, exceptId?: string): Promise<GroupRequest | undefined> {
  const holder = await ctx.deps.store.findOpenByMailNickname(mailNickname);
  return holder?.id === exceptId ? undefined : holder;
}

/**
 * Why a group of this request may not take this nickname: a group or another open request has it.
 * The same form sent again holds its own nickname: that is a repeat, not a clash.
 */
async function nicknameInUse(ctx: RequestContext, mailNickname: string, id: string): Promise<string | undefined> {
  const [taken, heldBy] = await Promise.all([
    ctx.deps.directory.mailNicknameInUse(mailNickname),
    openRequestWithNickname(ctx, mailNickname, id),
  ]);
  if (heldBy) return nicknameHeldMessage(heldBy, mailNickname);
  return taken ? `A group already uses the mail nickname ${mailNickname}: choose another.` : undefined;
}

/**
 * Validates the form and the directory names, and stores the request. `formKey` names the
 * form: with the requester and the content it makes the request id, so the same form sent
 * twice (a double click, a retried delivery) stores one request and answers with it both times.
 */
export async function submitRequest(
  ctx: RequestContext,
  values: RequestFormValues,
  requester: Actor,
  cards: CardLocations = {},
  formKey?: string,
): Promise<SubmitOutcome> {
  const { deps } = ctx;
  const checked = checkRequestForm(values);
  if (!checked.ok) return checked;
  const spec = checked.spec;
  const id = formKey ? requestIdFor(formKey, requester, spec) : (deps.newId ?? randomRequestId)();
  const errors: FieldErrors = {};
  if (spec.membershipRule) errors.membershipRule = deps.checkRule(spec.membershipRule, spec.preset);

  const deviceNickname = spec.deviceGroup?.mailNickname;
  const [owners, members, nicknameProblem, deviceNicknameProblem, required] = await Promise.all([
    deps.directory.resolveUsers(spec.owners),
    deps.directory.resolveUsers(spec.members),
    nicknameInUse(ctx, spec.mailNickname, id),
    deviceNickname ? nicknameInUse(ctx, deviceNickname, id) : undefined,
    presetOwners(deps.directory, spec.preset),
  ]);
  // Owners are always named in full: the approver must see every one of them.
  errors.owners = unknownNames(
    owners.missing.filter((name) => !isObjectId(name)),
    Infinity,
  );
  errors.ownerIds = unknownIds(owners.missing.filter(isObjectId));
  errors.members = unknownNames(members.missing.filter((name) => !isObjectId(name)));
  errors.memberIds = unknownIds(members.missing.filter(isObjectId));
  errors.mailNickname = nicknameProblem;
  errors.deviceMailNickname = deviceNicknameProblem && `Device group: ${deviceNicknameProblem}`;
  if (required.problem) errors.preset = required.problem;
  const found = onlyProblems(errors);
  if (Object.keys(found).length) return { ok: false, errors: found };

  const now = ctx.now();
  const people = [...owners.found, ...members.found].filter((principal) => principal.kind === 'user');
  const [rulePreview, lookalikeGroups, roles] = await Promise.all([
    spec.membershipRule ? preview(ctx, spec.membershipRule) : undefined,
    lookalikesOfAll(ctx, [spec.displayName, ...(spec.deviceGroup ? [spec.deviceGroup.displayName] : [])]),
    directoryRoles(
      ctx,
      people.map((person) => person.id),
    ),
  ]);
  const withRoles = (principal: DirectoryPrincipal): DirectoryPrincipal => {
    const held = roles.held?.get(principal.id);
    return held ? { ...principal, directoryRoles: held } : principal;
  };
  const chosenMembers = members.found.map(withRoles);
  // Chosen once, now, and kept: a policy changed later never moves a waiting request.
  const route = deps.policy ? chooseRoute(deps.policy, { spec, members: chosenMembers, rulePreview }) : undefined;
  const request: GroupRequest = {
    id,
    version: 1,
    status: 'submitted',
    spec,
    owners: [...required.owners, ...owners.found.map(withRoles)],
    members: chosenMembers,
    requester,
    tenantId: deps.tenantId,
    ...(route ? { route } : {}),
    ...(rulePreview ? { rulePreview } : {}),
    ...(lookalikeGroups?.length ? { lookalikeGroups } : {}),
    ...(roles.unknown ? { directoryRolesUnknown: roles.unknown } : {}),
    cards,
    audit: [{ at: now, actor: requester, action: 'submitted', to: 'submitted' }],
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.store.insert(request, changesBetween(undefined, request));
  } catch (error) {
    // Another submission took the nickname since the check above: the store keeps one per open request.
    if (error instanceof MailNicknameHeldError) {
      const holder = await deps.store.get(error.heldBy);
      const held = nicknameHeldMessage(holder ?? error.heldBy, error.mailNickname);
      const ofDevices = error.mailNickname.toLowerCase() === deviceNickname?.toLowerCase();
      return { ok: false, errors: ofDevices ? { deviceMailNickname: `Device group: ${held}` } : { mailNickname: held } };
    }
    const existing = error instanceof RequestAlreadyExistsError ? await deps.store.get(request.id) : undefined;
    if (!existing || !sameActor(existing.requester, requester)) throw error;
    return { ok: true, request: existing, repeated: true };
  }
  return { ok: true, request };
}
