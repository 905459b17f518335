import type { GraphRequestContext } from './context';
import { badRequest, notFound } from './graphError';
import { createdAnswer, groupAnswer } from './groups';
import { validateNewGroup, validateUpsertUpdate } from './groupValidation';
import { assertMayCreateGroup, assertMayManageLinks } from './permissions';
import type { Router } from './router';
import type { GroupRecord } from './store';

/**
 * Groups addressed by their alternate key, `/groups(uniqueName='…')` (Graph v1.0 "Upsert group"):
 * PATCH with `Prefer: create-if-missing` creates the group (201 with it) when no group has that
 * uniqueName and updates it (204) otherwise; without the header a PATCH is only an update, and
 * 404s when the group is missing. The uniqueName is unique in the tenant and never changes.
 */

const KEY_SEGMENT = "groups(uniqueName='{uniqueName}')";

/** The key as written in the URL: a quote inside an OData string literal is doubled. */
function uniqueNameOf(context: GraphRequestContext): string {
  const raw = context.params.uniqueName;
  if (/(^|[^'])'([^']|$)/.test(raw)) throw badRequest(`Invalid alternate key value '${raw}'.`, 'BadRequest');
  return raw.replace(/''/g, "'");
}

function createIfMissing(context: GraphRequestContext): boolean {
  return (context.headers.prefer ?? '').split(',').some((preference) => preference.trim().toLowerCase() === 'create-if-missing');
}

/** The body without `uniqueName`, which may repeat the key but never differ from it. */
function bodyWithoutKey(context: GraphRequestContext, uniqueName: string): unknown {
  const body = context.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('uniqueName' in body)) return body;
  const { uniqueName: given, ...rest } = body as Record<string, unknown>;
  if (typeof given !== 'string' || given.toLowerCase() !== uniqueName.toLowerCase()) {
    throw badRequest("Property 'uniqueName' is read-only and cannot be changed once set.");
  }
  return rest;
}

function update(context: GraphRequestContext, group: GroupRecord, body: unknown) {
  assertMayManageLinks(context.caller, context.store, group);
  const { group: changes, owners, members } = validateUpsertUpdate(body, group, context.store);
  Object.assign(group, changes);
  context.store.addLinks(
    group.id,
    'owners',
    owners.map((owner) => owner.id),
  );
  context.store.addLinks(
    group.id,
    'members',
    members.map((member) => member.id),
  );
  return { status: 204 };
}

function create(context: GraphRequestContext, uniqueName: string, body: unknown) {
  const roleAssignable = (body as Record<string, unknown> | undefined)?.isAssignableToRole === true;
  assertMayCreateGroup(context.caller, context.store, roleAssignable);
  const { group, owners, members } = validateNewGroup(body, context.store);
  const created = context.store.createGroup(
    group,
    { owners: owners.map((owner) => owner.id), members: members.map((member) => member.id) },
    context.caller,
    uniqueName,
  );
  return createdAnswer(context, created);
}

export function addGroupUpsertRoutes(router: Router): void {
  router
    .add('PATCH', `/${KEY_SEGMENT}`, (context) => {
      const uniqueName = uniqueNameOf(context);
      const body = bodyWithoutKey(context, uniqueName);
      // The write path sees every group at once: uniqueness holds even while reads lag.
      const group = context.store.groupByUniqueName(uniqueName);
      if (group) return update(context, group, body);
      if (!createIfMissing(context)) throw notFound(uniqueName);
      return create(context, uniqueName, body);
    })
    .add('GET', `/${KEY_SEGMENT}`, (context) => {
      const uniqueName = uniqueNameOf(context);
      const group = context.store.groupByUniqueName(uniqueName);
      if (!group || context.store.replicating(group)) throw notFound(uniqueName);
      return groupAnswer(context, group);
    });
}
