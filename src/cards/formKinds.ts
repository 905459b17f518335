import { INTUNE_PROVISIONING_CLIENT_APP_ID, type Preset } from '../requests/groupRequest';

/** What the form says for one kind of group: its name, why it exists, and examples that fit it. */
export interface FormKind {
  title: string;
  /** On the button that changes the form to this kind: a button shows one short line. */
  shortTitle: string;
  help: string;
  displayNameExample: string;
  mailNicknameExample: string;
  descriptionExample: string;
  ruleExample: string;
  /** The rule builder's properties: the Autopilot user group takes user rules only. */
  ruleObjects: readonly ('user' | 'device')[];
}

export const FORM_KINDS: Record<Preset, FormKind> = {
  autopilotUsers: {
    shortTitle: 'Autopilot user group',
    title: 'Autopilot device preparation: user group',
    help: 'The users who get the device preparation deployment. Microsoft recommends a group made for this, not one reused from other Autopilot scenarios.',
    displayNameExample: 'e.g. Autopilot DP - Users - Sales',
    mailNicknameExample: 'e.g. autopilot-dp-users-sales',
    descriptionExample: 'e.g. Sales staff who set up new laptops with device preparation',
    ruleExample: 'e.g. (user.department -eq "Sales") -and (user.accountEnabled -eq true)',
    ruleObjects: ['user'],
  },
  autopilotDevices: {
    shortTitle: 'Autopilot device group',
    title: 'Autopilot device preparation: device group',
    help: 'The devices device preparation enrolls. It is assigned and starts empty: Autopilot adds each device during deployment.',
    displayNameExample: 'e.g. Autopilot DP - Devices - Sales',
    mailNicknameExample: 'e.g. autopilot-dp-devices-sales',
    descriptionExample: 'e.g. Sales laptops enrolled with device preparation',
    ruleExample: '',
    ruleObjects: [],
  },
  autopilotPair: {
    shortTitle: 'Autopilot user and device groups',
    title: 'Autopilot device preparation: user group and device group together',
    help: 'Both groups the device preparation policy needs, approved once and made together: the user group (its members or rule below) and an assigned device group that starts empty.',
    displayNameExample: 'e.g. Autopilot DP - Users - Sales',
    mailNicknameExample: 'e.g. autopilot-dp-users-sales',
    descriptionExample: 'e.g. Device preparation for the Sales laptops (both groups get this description)',
    ruleExample: 'e.g. (user.department -eq "Sales") -and (user.accountEnabled -eq true)',
    ruleObjects: ['user'],
  },
  custom: {
    shortTitle: 'Custom security group',
    title: 'Custom security group',
    help: 'Any security group: people you name, or everyone (users or devices) a membership rule matches.',
    displayNameExample: 'e.g. SG-Intune-Pilot-Testers',
    mailNicknameExample: 'e.g. sg-intune-pilot-testers',
    descriptionExample: 'e.g. Pilot ring for the new Intune security baseline',
    ruleExample: 'e.g. user.jobTitle -eq "Buyer", or for devices device.deviceOSType -eq "Windows"',
    ruleObjects: ['user', 'device'],
  },
};

/** The owner the device group always has, said on its form because the requester cannot change it. */
export const FIXED_DEVICE_GROUP_OWNER = `Intune Provisioning Client (appId ${INTUNE_PROVISIONING_CLIENT_APP_ID}): device preparation needs it as the device group's owner, so the bot adds it. Add further owners below if you like.`;
