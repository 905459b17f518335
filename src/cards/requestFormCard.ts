import { newFormId } from '../requests/requestIds';
import { FORM_FIELDS, LIMITS, type FieldErrors, type RequestFormValues } from '../requests/requestForm';
import { BUILDER_ROWS } from '../requests/ruleBuilderForm';
import { ruleFixes, ruleOfForm } from '../requests/membershipRuleCheck';
import { PRESETS, type Preset } from '../requests/groupRequest';
import { isKnownShape, shapeOf, type FormShape } from '../requests/formShape';
import { STRING_OPERATORS } from '../rules/validator';
import { renderCard, type AdaptiveCard } from './cardTemplates';
import { FIXED_DEVICE_GROUP_OWNER, FORM_KINDS } from './formKinds';
import { markdownText as md } from './markdownText';

/** The properties offered in the rule builder: the ones Autopilot and everyday groups use most. */
const BUILDER_PROPERTIES = [
  'user.department',
  'user.jobTitle',
  'user.companyName',
  'user.city',
  'user.country',
  'user.usageLocation',
  'user.userType',
  'user.accountEnabled',
  'user.userPrincipalName',
  'user.mail',
  'user.employeeId',
  'user.extensionAttribute1',
  'user.proxyAddresses',
  'device.deviceOSType',
  'device.deviceOSVersion',
  'device.deviceManufacturer',
  'device.deviceModel',
  'device.deviceOwnership',
  'device.enrollmentProfileName',
  'device.devicePhysicalIds',
  'device.deviceTrustType',
  'device.displayName',
  'device.accountEnabled',
];

/** How much of a rule a fix button quotes: its title is one line. */
const TITLE_QUOTE = 40;

const short = (text: string): string => (text.length > TITLE_QUOTE ? `${text.slice(0, TITLE_QUOTE)}…` : text);

/** A button for each correction the rule checker proposes for the problems shown under the rule. */
function fixButtons(values: RequestFormValues, errors: FieldErrors): { index: number; title: string; replacement: string }[] {
  if (!errors.membershipRule) return [];
  return ruleFixes(ruleOfForm(values), drawnShape(values).preset).map((fix, index) => ({
    index,
    title: `Fix: "${short(fix.offending)}" → "${short(fix.replacement)}"`,
    replacement: fix.replacement,
  }));
}

export interface FormNotes {
  /** What belongs to no field, such as the directory being unreachable. */
  problem?: string;
  /** The rule preview, shown under the rule. */
  ruleNote?: string;
  /** Where the server keeps what this form does not show (a long members list, fields of another kind or type). */
  draftId?: string;
  /** How many names a members list too long for a card holds; it is in the draft, the box is left empty. */
  keptMembers?: number;
}

/** The shape a form is drawn in: an unknown kind or type from a forged card shows as the default. */
function drawnShape(values: RequestFormValues): FormShape {
  const shape = shapeOf(values);
  return isKnownShape(shape) ? shape : { preset: PRESETS.includes(shape.preset) ? shape.preset : 'custom', membershipType: 'assigned' };
}

/** The kinds that make a device group, whose owner is fixed. */
const DEVICE_GROUP_KINDS: readonly Preset[] = ['autopilotDevices', 'autopilotPair'];

/** The kind and membership type on the form, and the buttons that change them. */
function shapeData(shape: FormShape) {
  const kind = FORM_KINDS[shape.preset];
  const otherType = shape.preset === 'autopilotDevices' ? '' : shape.membershipType === 'assigned' ? 'dynamic' : 'assigned';
  return {
    preset: shape.preset,
    membershipType: shape.membershipType,
    kind,
    otherKinds: PRESETS.filter((preset) => preset !== shape.preset).map((preset) => ({
      preset,
      title: `Change to: ${FORM_KINDS[preset].shortTitle}`,
    })),
    membershipLine:
      shape.preset === 'autopilotDevices'
        ? 'Assigned, and it starts empty: Autopilot adds each device during deployment.'
        : shape.membershipType === 'assigned'
          ? 'Assigned: the people you name below are its members.'
          : 'Dynamic: everyone the membership rule below matches is a member, kept up to date by Entra.',
    otherType,
    otherTypeTitle: otherType === 'dynamic' ? 'Use a membership rule instead' : 'Name the members instead',
    showMembers: shape.preset !== 'autopilotDevices' && shape.membershipType === 'assigned',
    showRule: shape.membershipType === 'dynamic',
    showDeviceGroup: shape.preset === 'autopilotPair',
    fixedOwner: DEVICE_GROUP_KINDS.includes(shape.preset) ? FIXED_DEVICE_GROUP_OWNER : '',
    ownerPickerLabel: DEVICE_GROUP_KINDS.includes(shape.preset)
      ? 'Further owners: pick people'
      : 'Owners: pick people (or type their names below)',
    propertyChoices: BUILDER_PROPERTIES.filter((p) => kind.ruleObjects.some((object) => p.startsWith(`${object}.`))).map((p) => ({
      title: p,
      value: p,
    })),
  };
}

/** Stands for the form id in the blank form drawn once; no form id (base64url) contains a space. */
const BLANK_FORM_ID = 'blank form id';
let blankForm: string | undefined;

const isEmpty = (object: object) => Object.keys(object).length === 0;

/**
 * The request form, with what the requester typed and the server's verdict next to each field.
 * `formId` tells this form's submissions from any other's: a form drawn anew gets a new one, a
 * form drawn again with its errors keeps its own.
 */
export function requestFormCard(
  values: RequestFormValues = {},
  errors: FieldErrors = {},
  notes: FormNotes = {},
  formId: string = newFormId(),
): AdaptiveCard {
  if (!isEmpty(values) || !isEmpty(errors) || !isEmpty(notes)) return drawForm(values, errors, notes, formId);
  // Every "new group" asks for the blank form, and filling the template allocates some 50 times
  // the card's 4 KB: it is filled once, and each form is a copy with its own id.
  blankForm ??= JSON.stringify(drawForm({}, {}, {}, BLANK_FORM_ID));
  return JSON.parse(blankForm.split(BLANK_FORM_ID).join(formId)) as AdaptiveCard;
}

function drawForm(values: RequestFormValues, errors: FieldErrors, notes: FormNotes, formId: string): AdaptiveCard {
  const filled: Record<string, string> = {};
  if (notes.keptMembers !== undefined) values = { ...values, members: '' };
  const shown: Record<string, string> = {};
  for (const field of FORM_FIELDS) {
    filled[field] = values[field] ?? '';
    shown[field] = md(errors[field] ?? '');
  }
  const builderRows = Array.from({ length: BUILDER_ROWS }, (_, i) => ({
    row: i + 1,
    join: filled[`ruleJoin${i + 1}`] || 'and',
    property: filled[`ruleProperty${i + 1}`],
    operator: filled[`ruleOperator${i + 1}`],
    value: filled[`ruleValue${i + 1}`],
  }));
  const hasErrors = Object.values(shown).some(Boolean);
  const kept = notes.keptMembers;
  return renderCard('requestForm', {
    formId,
    draftId: notes.draftId ?? '',
    ...shapeData(drawnShape(values)),
    keptMembers:
      kept !== undefined
        ? `Your list of ${kept.toLocaleString('en-US')} names is kept with this form. Leave the box empty to submit that list, or type names to replace it.`
        : '',
    values: filled,
    errors: shown,
    limits: LIMITS,
    builderRows,
    operatorChoices: STRING_OPERATORS.map((o) => ({ title: `-${o}`, value: o })),
    ruleFixes: fixButtons(values, errors),
    ruleNote: md(notes.ruleNote ?? ''),
    summary: notes.problem ? md(notes.problem) : hasErrors ? 'Some fields need attention: see the notes in red below.' : '',
  });
}

/**
 * Stands in for the form while a long list of names is checked. What the requester typed is in
 * draft `draftId` on the server, so "Back to the form" brings it back filled, whatever its size.
 */
export function requestCheckingCard(displayName: string | undefined, names: number, formId: string, draftId: string): AdaptiveCard {
  return renderCard('requestChecking', {
    displayName: displayName ? md(displayName) : 'New group request',
    names: names.toLocaleString('en-US'),
    formId,
    draftId,
  });
}
