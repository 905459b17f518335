import { badRequest, invalidValue, referencesAlreadyExist } from './graphError';
import { resolveReference } from './odataBind';
import type { DirectoryObject, DirectoryStore, GroupRecord, NewGroupRecord } from './store';

/**
 * The checks Graph makes on POST /groups and PATCH /groups/{id}, with Graph's codes and messages.
 * A request that fails any check changes nothing.
 */

/** Graph takes at most this many owners and members together in one create or update. */
export const MAX_LINKS_PER_REQUEST = 20;
export const MAX_DISPLAY_NAME = 256;
export const MAX_MAIL_NICKNAME = 64;
export const MAX_DESCRIPTION = 1024;
export const MAX_MEMBERSHIP_RULE = 3072;

const MEMBERS_BIND = 'members@odata.bind';
const OWNERS_BIND = 'owners@odata.bind';
const WRITABLE = new Set([
  'displayName',
  'mailNickname',
  'description',
  'securityEnabled',
  'mailEnabled',
  'groupTypes',
  'membershipRule',
  'membershipRuleProcessingState',
  'isAssignableToRole',
  'visibility',
  MEMBERS_BIND,
  OWNERS_BIND,
]);
const PATCHABLE = new Set(['displayName', 'description', 'membershipRule', 'membershipRuleProcessingState', MEMBERS_BIND]);
const GROUP_TYPES = new Set(['Unified', 'DynamicMembership']);
const FORBIDDEN_IN_NICKNAME = /[@()\\[\]";:<>,\s]/;

export interface ValidatedGroup {
  group: NewGroupRecord;
  owners: DirectoryObject[];
  members: DirectoryObject[];
}

export interface ValidatedPatch {
  changes: Partial<Pick<GroupRecord, 'displayName' | 'description' | 'membershipRule' | 'membershipRuleProcessingState'>>;
  members: DirectoryObject[];
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('Empty Payload. JSON content expected.', 'BadRequest');
  }
  return body as Record<string, unknown>;
}

function rejectUnknown(body: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) {
      throw badRequest(
        `The property '${key}' does not exist on type 'microsoft.graph.group'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        'BadRequest',
      );
    }
  }
}

function required(body: Record<string, unknown>, property: string): unknown {
  if (body[property] === undefined || body[property] === null) {
    throw badRequest(`A value is required for property '${property}' of resource 'Group'.`);
  }
  return body[property];
}

function text(value: unknown, property: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length > maxLength) throw invalidValue(property, 'Group');
  return value;
}

function flag(value: unknown, property: string): boolean {
  if (typeof value !== 'boolean') throw invalidValue(property, 'Group');
  return value;
}

export function checkMailNickname(value: unknown): string {
  const nickname = text(value, 'mailNickname', MAX_MAIL_NICKNAME);
  // ASCII 0-127 only, none of @ ( ) \ [ ] " ; : < > , and no whitespace.
  if (nickname.length === 0 || /[^\x00-\x7F]/.test(nickname) || FORBIDDEN_IN_NICKNAME.test(nickname)) {
    throw invalidValue('mailNickname', 'Group');
  }
  return nickname;
}

function checkMembershipRule(rule: unknown): string {
  const value = text(rule, 'membershipRule', MAX_MEMBERSHIP_RULE).trim();
  const usesUsers = /\buser\./i.test(value) || /^Direct Reports for\s/i.test(value);
  const usesDevices = /\bdevice\./i.test(value);
  if (value.length === 0 || (!usesUsers && !usesDevices)) {
    throw badRequest('Dynamic membership rule validation error: the rule names no user or device property.');
  }
  if (usesUsers && usesDevices) {
    throw badRequest('Dynamic membership rule validation error: a rule cannot mix user and device properties.');
  }
  return value;
}

function checkProcessingState(value: unknown): string {
  if (value !== 'On' && value !== 'Paused') throw invalidValue('membershipRuleProcessingState', 'Group');
  return value;
}

function bindList(body: Record<string, unknown>, key: string): unknown[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest(`Invalid URL format specified in @odata.bind for ${key.split('@')[0]}`);
  return value;
}

function checkLinkCount(count: number): void {
  if (count > MAX_LINKS_PER_REQUEST) {
    throw badRequest(
      `A resource cannot contain more than ${MAX_LINKS_PER_REQUEST} link changes in one request; ${count} were sent. Add the rest in further requests.`,
    );
  }
}

function resolveAll(references: unknown[], property: 'members' | 'owners', store: DirectoryStore): DirectoryObject[] {
  const objects = references.map((reference) => resolveReference(reference, property, store));
  if (new Set(objects.map((object) => object.id)).size !== objects.length) {
    throw referencesAlreadyExist(property);
  }
  return objects;
}

/** `self`: the group an upsert updates, which may keep its own mailNickname. */
export function validateNewGroup(rawBody: unknown, store: DirectoryStore, self?: GroupRecord): ValidatedGroup {
  const body = asObject(rawBody);
  rejectUnknown(body, WRITABLE);
  const displayName = text(required(body, 'displayName'), 'displayName', MAX_DISPLAY_NAME);
  if (displayName.trim().length === 0) throw invalidValue('displayName', 'Group');
  const mailEnabled = flag(required(body, 'mailEnabled'), 'mailEnabled');
  const mailNickname = checkMailNickname(required(body, 'mailNickname'));
  const securityEnabled = flag(required(body, 'securityEnabled'), 'securityEnabled');
  const description = body.description == null ? null : text(body.description, 'description', MAX_DESCRIPTION);
  const groupTypes = body.groupTypes ?? [];
  if (!Array.isArray(groupTypes) || groupTypes.some((type) => typeof type !== 'string' || !GROUP_TYPES.has(type))) {
    throw invalidValue('groupTypes', 'Group');
  }
  const unified = groupTypes.includes('Unified');
  const dynamic = groupTypes.includes('DynamicMembership');
  if (mailEnabled && !unified) {
    throw badRequest(
      'The service does not currently support writing mail enabled groups. Please ensure that the mail enablement property is unset or is set to false.',
    );
  }
  if (!securityEnabled && !unified) throw invalidValue('securityEnabled', 'Group');
  const isAssignableToRole = body.isAssignableToRole == null ? false : flag(body.isAssignableToRole, 'isAssignableToRole');
  if (isAssignableToRole && dynamic) {
    throw badRequest('A group that can be assigned to Microsoft Entra roles cannot have dynamic membership.');
  }
  if (isAssignableToRole && !securityEnabled) throw invalidValue('isAssignableToRole', 'Group');
  let membershipRule: string | null = null;
  let membershipRuleProcessingState: string | null = null;
  if (dynamic) {
    membershipRule = checkMembershipRule(required(body, 'membershipRule'));
    membershipRuleProcessingState = checkProcessingState(required(body, 'membershipRuleProcessingState'));
  } else if (body.membershipRule != null || body.membershipRuleProcessingState != null) {
    throw badRequest("membershipRule can only be set on a group whose groupTypes contain 'DynamicMembership'.");
  }
  const ownerReferences = bindList(body, OWNERS_BIND);
  const memberReferences = bindList(body, MEMBERS_BIND);
  checkLinkCount(ownerReferences.length + memberReferences.length);
  if (dynamic && memberReferences.length > 0) {
    throw badRequest('Members cannot be added to a group with dynamic membership; its rule decides them.');
  }
  const sameNickname = (group: GroupRecord) => group !== self && group.mailNickname.toLowerCase() === mailNickname.toLowerCase();
  if (unified && store.groups().some(sameNickname)) {
    throw badRequest('Another object with the same value for property mailNickname already exists.');
  }
  return {
    group: {
      displayName,
      mailNickname,
      description,
      securityEnabled,
      mailEnabled,
      groupTypes: groupTypes as string[],
      membershipRule,
      membershipRuleProcessingState,
      isAssignableToRole,
    },
    owners: resolveAll(ownerReferences, 'owners', store),
    members: resolveAll(memberReferences, 'members', store),
  };
}

export function validatePatch(rawBody: unknown, group: GroupRecord, store: DirectoryStore): ValidatedPatch {
  const body = asObject(rawBody);
  rejectUnknown(body, WRITABLE);
  for (const key of Object.keys(body)) {
    if (!PATCHABLE.has(key)) throw badRequest(`This emulator does not change '${key}' on an existing group.`);
  }
  const changes: ValidatedPatch['changes'] = {};
  if (body.displayName !== undefined) changes.displayName = text(body.displayName, 'displayName', MAX_DISPLAY_NAME);
  if (body.description !== undefined) changes.description = text(body.description, 'description', MAX_DESCRIPTION);
  const dynamic = group.groupTypes.includes('DynamicMembership');
  if (body.membershipRule !== undefined || body.membershipRuleProcessingState !== undefined) {
    if (!dynamic) throw badRequest("membershipRule can only be set on a group whose groupTypes contain 'DynamicMembership'.");
    if (body.membershipRule !== undefined) changes.membershipRule = checkMembershipRule(body.membershipRule);
    if (body.membershipRuleProcessingState !== undefined) {
      changes.membershipRuleProcessingState = checkProcessingState(body.membershipRuleProcessingState);
    }
  }
  const references = bindList(body, MEMBERS_BIND);
  checkLinkCount(references.length);
  if (dynamic && references.length > 0) {
    throw badRequest('Members cannot be added to a group with dynamic membership; its rule decides them.');
  }
  const members = resolveAll(references, 'members', store);
  if (members.some((member) => group.members.has(member.id))) {
    throw referencesAlreadyExist('members');
  }
  return { changes, members };
}

/** Properties an upsert may repeat on an existing group but never change. */
const FIXED_ON_UPDATE = ['mailEnabled', 'securityEnabled', 'isAssignableToRole'] as const;

/**
 * An upsert that finds its group updates it: the body is checked as a create body would be
 * (what it leaves out keeps its value), settled properties must not change, and the binds it
 * carries are added, all or nothing, refused when one is there already.
 */
export function validateUpsertUpdate(rawBody: unknown, group: GroupRecord, store: DirectoryStore): ValidatedGroup {
  const body = asObject(rawBody);
  const current = {
    displayName: group.displayName,
    mailNickname: group.mailNickname,
    description: group.description,
    securityEnabled: group.securityEnabled,
    mailEnabled: group.mailEnabled,
    groupTypes: group.groupTypes,
    isAssignableToRole: group.isAssignableToRole,
    ...(group.membershipRule === null ? {} : { membershipRule: group.membershipRule }),
    ...(group.membershipRuleProcessingState === null ? {} : { membershipRuleProcessingState: group.membershipRuleProcessingState }),
  };
  const checked = validateNewGroup({ ...current, ...body }, store, group);
  for (const property of FIXED_ON_UPDATE) {
    if (checked.group[property] !== group[property]) throw invalidValue(property, 'Group');
  }
  if ([...checked.group.groupTypes].sort().join() !== [...group.groupTypes].sort().join()) throw invalidValue('groupTypes', 'Group');
  if (checked.owners.some((owner) => group.owners.has(owner.id))) throw referencesAlreadyExist('owners');
  if (checked.members.some((member) => group.members.has(member.id))) throw referencesAlreadyExist('members');
  return checked;
}
