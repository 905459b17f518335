import { z } from 'zod';
import {
  INTUNE_PROVISIONING_CLIENT_APP_ID,
  MEMBERSHIP_TYPES,
  PRESETS,
  type GroupSpec,
  type MembershipType,
  type PairedDeviceGroup,
  type Preset,
} from './groupRequest';
import { deriveMailNickname, mailNicknameProblem } from './mailNickname';
import { hiddenCharacterProblem, isBlank } from './textHygiene';
import { listNames } from './nameList';
import { isObjectId, splitObjectIds } from './objectIds';
import { BUILDER_FIELDS, builtRule } from './ruleBuilderForm';
import { applicableValues } from './formShape';

/** The form's fields, as the card sends them: strings, any of them missing. */
export const FORM_FIELDS = [
  'preset',
  'displayName',
  'mailNickname',
  'description',
  'membershipType',
  'owners',
  /** People picked in Teams' people picker: their object ids, comma-separated. */
  'ownerIds',
  'members',
  'memberIds',
  'membershipRule',
  'justification',
  /** The Autopilot pair's device group; the fields above describe its user group. */
  'deviceDisplayName',
  'deviceMailNickname',
  ...BUILDER_FIELDS,
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export type RequestFormValues = Partial<Record<FormField, string>>;
export type FieldErrors = Partial<Record<FormField, string>>;

export const LIMITS = {
  displayName: 256,
  mailNickname: 64,
  description: 1024,
  membershipRule: 3072,
  justification: 1024,
  /** A reject reason: the requester reads it, as the approver reads a justification. */
  rejectReason: 1024,
  /** Graph allows 100 owners; a user principal name has at most 113 characters. */
  owners: 12_000,
  /** Picked people: 100 owners' object ids, or a few hundred members' (longer lists are pasted). */
  ownerIds: 4_000,
  memberIds: 20_000,
  /** Thousands of names fit; the bound keeps a submission under the 300 KB an activity may have. */
  members: 250_000,
} as const;

/** Keeps only the form's own fields, as strings: whatever else a card sends is dropped. */
export function readFormValues(data: unknown): RequestFormValues {
  const shape = z.record(z.unknown()).safeParse(data);
  const values: RequestFormValues = {};
  if (!shape.success) return values;
  for (const field of FORM_FIELDS) {
    const value = shape.data[field];
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

const SEPARATORS = /[\s,;]+/;
const PRINCIPAL_NAME = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** Splits a list of UPNs or mail addresses, dropping repeats (Entra compares them without case). */
export function splitPrincipalNames(text: string | undefined): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const name of (text ?? '').split(SEPARATORS)) {
    const key = name.toLowerCase();
    if (name && !seen.has(key)) {
      seen.add(key);
      names.push(name);
    }
  }
  return names;
}

/** `listed` bounds how many are named (a members list may hold thousands); all are counted. */
function principalNamesProblem(names: string[], listed?: number): string | undefined {
  const malformed = names.filter((name) => !PRINCIPAL_NAME.test(name));
  if (malformed.length === 0) return undefined;
  return `Not a user principal name or email address: ${listNames(malformed, listed)}.`;
}

function lengthProblem(label: string, value: string, max: number): string | undefined {
  return value.length > max ? `${label} can have at most ${max} characters (this one has ${value.length}).` : undefined;
}

/** Ids a picker sent that are no object ids: only a forged card sends them. */
function pickedIdsProblem(label: string, value: string | undefined, max: number): string | undefined {
  const tooLong = lengthProblem(label, value ?? '', max);
  if (tooLong) return `${tooLong} Paste a long list in the box below instead.`;
  const wrong = splitObjectIds(value).filter((id) => !isObjectId(id));
  return wrong.length
    ? `Not an Entra object id: ${listNames(wrong)}. Pick people in the picker, or type their names in the box below.`
    : undefined;
}

/** The fields that have a problem: checks leave `undefined` where a field is fine. */
export function onlyProblems(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message)) as FieldErrors;
}

/** Fields shown on one line, where a line break or a tab has no place. */
const SINGLE_LINE: readonly FormField[] = [
  'preset',
  'displayName',
  'mailNickname',
  'membershipType',
  'ownerIds',
  'memberIds',
  'deviceDisplayName',
  'deviceMailNickname',
  ...BUILDER_FIELDS,
];

/**
 * Characters that hide or reorder text, in any field, each said under its field (the rule
 * builder's under the rule). They win over any other problem of that field.
 */
function hiddenCharacterErrors(values: RequestFormValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of FORM_FIELDS) {
    const problem = values[field] ? hiddenCharacterProblem(values[field] as string, SINGLE_LINE.includes(field)) : undefined;
    if (!problem) continue;
    const row = /^rule[A-Za-z]+(\d+)$/.exec(field)?.[1];
    if (row) errors.membershipRule ??= `Rule builder, row ${row}: ${problem}`;
    else errors[field] = problem;
  }
  return errors;
}

export type FormCheck = { ok: true; spec: GroupSpec } | { ok: false; errors: FieldErrors };

/**
 * Checks every field against Graph's rules for a security group, all at once, so the
 * requester sees every problem on the first try. Only the fields the form of the chosen kind
 * and membership type shows are read: whatever else a card sends is set aside unchecked.
 * Directory lookups come later.
 */
export function checkRequestForm(sent: RequestFormValues): FormCheck {
  const values = applicableValues(sent);
  const errors: FieldErrors = {};
  const preset = values.preset as Preset;
  if (!PRESETS.includes(preset)) errors.preset = 'Choose one of the offered group kinds.';

  const named = checkNames(values.displayName, values.mailNickname);
  const { displayName, mailNickname } = named;
  errors.displayName = named.errors.displayName;
  errors.mailNickname = named.errors.mailNickname;
  const pair = preset === 'autopilotPair' ? checkPairedDeviceGroup(values, mailNickname) : undefined;
  Object.assign(errors, pair?.errors);

  const description = (values.description ?? '').trim();
  errors.description = lengthProblem('The description', description, LIMITS.description);

  const membershipType = values.membershipType as MembershipType;
  if (!MEMBERSHIP_TYPES.includes(membershipType)) errors.membershipType = 'Choose Assigned or Dynamic.';

  const ownerNames = splitPrincipalNames(values.owners);
  errors.owners =
    lengthProblem('The owners list', values.owners ?? '', LIMITS.owners) ?? principalNamesProblem(ownerNames, ownerNames.length);
  errors.ownerIds = pickedIdsProblem('The picked owners', values.ownerIds, LIMITS.ownerIds);
  const owners = [...ownerNames, ...splitObjectIds(values.ownerIds)];

  errors.memberIds = pickedIdsProblem('The picked members', values.memberIds, LIMITS.memberIds);
  const members = [...splitPrincipalNames(values.members), ...splitObjectIds(values.memberIds)];
  const membersTooLong = lengthProblem('The members list', values.members ?? '', LIMITS.members);
  errors.members = membersTooLong
    ? `${membersTooLong} Ask for the group with fewer members and add the rest in the Entra admin center.`
    : principalNamesProblem(splitPrincipalNames(values.members));

  let membershipRule = (values.membershipRule ?? '').trim();
  if (membershipType === 'dynamic') {
    const built = membershipRule ? undefined : builtRule(values);
    if (built?.ok) membershipRule = built.rule;
    if (built && !built.ok) errors.membershipRule = built.problem;
    else if (!membershipRule) errors.membershipRule = 'A dynamic group needs a membership rule: write one, or use the rule builder.';
    else errors.membershipRule = lengthProblem('A membership rule', membershipRule, LIMITS.membershipRule);
  }

  const justification = (values.justification ?? '').trim();
  if (isBlank(justification)) errors.justification = 'Say why the group is needed: the approver reads this.';
  else errors.justification = lengthProblem('The justification', justification, LIMITS.justification);

  const found = onlyProblems({ ...errors, ...hiddenCharacterErrors(values) });
  if (Object.keys(found).length > 0) return { ok: false, errors: found };
  return {
    ok: true,
    spec: {
      preset,
      displayName,
      mailNickname,
      description,
      membershipType,
      members,
      owners,
      ...(membershipType === 'dynamic' ? { membershipRule } : {}),
      justification,
      ...(pair ? { deviceGroup: pair.deviceGroup } : {}),
    },
  };
}

/** A group's display name and mail nickname (made from the name when empty), checked as Graph would. */
function checkNames(
  typedName: string | undefined,
  typedNickname: string | undefined,
): { displayName: string; mailNickname: string; errors: { displayName?: string; mailNickname?: string } } {
  const displayName = (typedName ?? '').trim();
  const errors: { displayName?: string; mailNickname?: string } = {};
  if (!displayName) errors.displayName = 'Give the group a name.';
  else if (isBlank(displayName))
    errors.displayName = 'Give the group a name people can read: this one is made only of invisible characters.';
  else errors.displayName = lengthProblem('The name', displayName, LIMITS.displayName);
  const mailNickname = (typedNickname ?? '').trim() || deriveMailNickname(displayName);
  if (displayName || typedNickname?.trim()) errors.mailNickname = mailNicknameProblem(mailNickname);
  return { displayName, mailNickname, errors };
}

/** The Autopilot pair's device group names: checked like the user group's, and its nickname its own. */
function checkPairedDeviceGroup(values: RequestFormValues, userNickname: string): { deviceGroup: PairedDeviceGroup; errors: FieldErrors } {
  const { displayName, mailNickname, errors } = checkNames(values.deviceDisplayName, values.deviceMailNickname);
  const sameNickname = displayName && mailNickname.toLowerCase() === userNickname.toLowerCase();
  return {
    deviceGroup: { displayName, mailNickname },
    errors: {
      deviceDisplayName: errors.displayName && `Device group: ${errors.displayName}`,
      deviceMailNickname: sameNickname
        ? 'The device group needs a mail nickname of its own: the user group already has this one.'
        : errors.mailNickname && `Device group: ${errors.mailNickname}`,
    },
  };
}

/** The service principals a preset always makes owners (of its device group), by appId. */
export function presetOwnerAppIds(preset: Preset): string[] {
  return preset === 'autopilotDevices' || preset === 'autopilotPair' ? [INTUNE_PROVISIONING_CLIENT_APP_ID] : [];
}
