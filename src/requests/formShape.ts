import { MEMBERSHIP_TYPES, PRESETS, type MembershipType, type Preset } from './groupRequest';
import type { FormField, RequestFormValues } from './requestForm';
import { BUILDER_FIELDS } from './ruleBuilderForm';

/**
 * What a form asks for follows two choices: the kind of group, then its membership type. The
 * Autopilot device group has no choice of type: it is assigned and starts empty.
 */
export interface FormShape {
  preset: Preset;
  membershipType: MembershipType;
}

/** Every shape asks for these. */
const COMMON_FIELDS: readonly FormField[] = [
  'preset',
  'membershipType',
  'displayName',
  'mailNickname',
  'description',
  'owners',
  'ownerIds',
  'justification',
];
const MEMBER_FIELDS: readonly FormField[] = ['members', 'memberIds'];
const RULE_FIELDS: readonly FormField[] = ['membershipRule', ...BUILDER_FIELDS];
/** The Autopilot pair names its device group too; the other fields describe its user group. */
const PAIRED_DEVICE_GROUP_FIELDS: readonly FormField[] = ['deviceDisplayName', 'deviceMailNickname'];

/**
 * The shape a form's values ask for. An unknown kind or type is kept as sent, so the check can
 * say so next to its field; the device group is always assigned, whatever a card claims.
 */
export function shapeOf(values: RequestFormValues): FormShape {
  const preset = (values.preset || 'custom') as Preset;
  const membershipType = preset === 'autopilotDevices' ? 'assigned' : ((values.membershipType || 'assigned') as MembershipType);
  return { preset, membershipType };
}

/** Whether a shape's kind and type are ones the form offers. */
export function isKnownShape(shape: FormShape): boolean {
  return PRESETS.includes(shape.preset) && MEMBERSHIP_TYPES.includes(shape.membershipType);
}

/** The fields a form of this shape shows: members only for an assigned group, a rule only for a dynamic one. */
export function fieldsFor(shape: FormShape): readonly FormField[] {
  if (shape.preset === 'autopilotDevices') return COMMON_FIELDS;
  const named = shape.preset === 'autopilotPair' ? [...COMMON_FIELDS, ...PAIRED_DEVICE_GROUP_FIELDS] : COMMON_FIELDS;
  if (shape.membershipType === 'assigned') return [...named, ...MEMBER_FIELDS];
  if (shape.membershipType === 'dynamic') return [...named, ...RULE_FIELDS];
  return named;
}

/**
 * Only what the form of these values' shape asks for. A card's hidden or forged inputs (members
 * for a dynamic or device group, a rule for an assigned one) are set aside, never checked or stored.
 */
export function applicableValues(values: RequestFormValues): RequestFormValues {
  const shape = shapeOf(values);
  const kept: RequestFormValues = { ...values, preset: shape.preset, membershipType: shape.membershipType };
  const shown = new Set(fieldsFor(shape));
  for (const field of Object.keys(kept) as FormField[]) if (!shown.has(field)) delete kept[field];
  return kept;
}

/** Whether `values` hold something the form of `shape` does not show, so a draft must keep it. */
export function holdsHiddenValues(values: RequestFormValues, shape: FormShape): boolean {
  const shown = new Set(fieldsFor(shape));
  return (Object.keys(values) as FormField[]).some((field) => !shown.has(field) && (values[field] ?? '').trim() !== '');
}
