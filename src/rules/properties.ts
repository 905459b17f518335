import type { RuleKind } from './ast';

/**
 * The properties a rule may use, with their types, as Microsoft documents them for dynamic
 * membership rules. Names are matched case-insensitively (the documentation's own examples write
 * `user.employeehiredate`, `user.mailNickname`, `device.devicePhysicalIDs`); the spelling here
 * is the canonical one the formatter prints.
 */

export type PropertyType =
  | 'string'
  | 'boolean'
  | 'dateTime'
  /** Strings, tested directly (`-startsWith`) or one by one with `-any (_ …)` / `-all (_ …)`. */
  | 'stringCollection'
  /** Objects with their own properties, tested with `-any`/`-all` only (assignedPlans). */
  | 'objectCollection'
  /** Group membership: only `memberOf -any (group.objectId -in ['<id>'])`. */
  | 'memberOf';

export interface PropertyDefinition {
  name: string;
  type: PropertyType;
  /** Values compared for equality must be object ids (GUIDs). */
  guid?: boolean;
}

/** What the items of an object collection expose, and the name a condition calls each item. */
export interface ItemDefinition {
  itemName: string;
  properties: readonly PropertyDefinition[];
}

const EXTENSION_ATTRIBUTES: PropertyDefinition[] = Array.from({ length: 15 }, (_, i) => ({
  name: `extensionAttribute${i + 1}`,
  type: 'string' as const,
}));

function strings(...names: string[]): PropertyDefinition[] {
  return names.map((name) => ({ name, type: 'string' as const }));
}

const USER_PROPERTIES: readonly PropertyDefinition[] = [
  { name: 'accountEnabled', type: 'boolean' },
  { name: 'dirSyncEnabled', type: 'boolean' },
  { name: 'employeeHireDate', type: 'dateTime' },
  ...strings('city', 'country', 'companyName', 'department', 'displayName', 'employeeId', 'facsimileTelephoneNumber'),
  ...strings('givenName', 'jobTitle', 'mail', 'mailNickName', 'mobile'),
  { name: 'objectId', type: 'string', guid: true },
  ...strings('onPremisesDistinguishedName', 'onPremisesSecurityIdentifier', 'passwordPolicies'),
  ...strings('physicalDeliveryOfficeName', 'postalCode', 'preferredLanguage', 'sipProxyAddress', 'state'),
  ...strings('streetAddress', 'surname', 'telephoneNumber', 'usageLocation', 'userPrincipalName', 'userType'),
  ...EXTENSION_ATTRIBUTES,
  { name: 'otherMails', type: 'stringCollection' },
  { name: 'proxyAddresses', type: 'stringCollection' },
  { name: 'assignedPlans', type: 'objectCollection' },
  { name: 'memberOf', type: 'memberOf' },
];

const DEVICE_PROPERTIES: readonly PropertyDefinition[] = [
  { name: 'accountEnabled', type: 'boolean' },
  { name: 'isRooted', type: 'boolean' },
  { name: 'deviceCategory', type: 'string' },
  { name: 'deviceId', type: 'string', guid: true },
  { name: 'deviceManagementAppId', type: 'string', guid: true },
  ...strings('deviceManufacturer', 'deviceModel', 'displayName', 'deviceOSType', 'deviceOSVersion', 'deviceOwnership'),
  ...strings('deviceTrustType', 'enrollmentProfileName', 'managementType', 'profileType'),
  { name: 'objectId', type: 'string', guid: true },
  ...EXTENSION_ATTRIBUTES,
  { name: 'devicePhysicalIds', type: 'stringCollection' },
  { name: 'systemLabels', type: 'stringCollection' },
  { name: 'memberOf', type: 'memberOf' },
];

export const ASSIGNED_PLAN: ItemDefinition = {
  itemName: 'assignedPlan',
  properties: [
    { name: 'capabilityStatus', type: 'string' },
    { name: 'service', type: 'string' },
    { name: 'servicePlanId', type: 'string', guid: true },
  ],
};

/** The item name and the single property a memberOf condition may test. */
export const MEMBER_OF_GROUP = { itemName: 'group', property: 'objectId', maxGroups: 50 } as const;

/** `extension_<application id without dashes>_<attribute name>`: a custom directory extension, always a string. */
const CUSTOM_EXTENSION = /^extension_[0-9a-f]{32}_[A-Za-z0-9_]+$/i;

const BY_KIND: Record<RuleKind, ReadonlyMap<string, PropertyDefinition>> = {
  user: new Map(USER_PROPERTIES.map((p) => [p.name.toLowerCase(), p])),
  device: new Map(DEVICE_PROPERTIES.map((p) => [p.name.toLowerCase(), p])),
};

export function findProperty(kind: RuleKind, name: string): PropertyDefinition | undefined {
  const known = BY_KIND[kind].get(name.toLowerCase());
  if (known) return known;
  return CUSTOM_EXTENSION.test(name) ? { name, type: 'string' } : undefined;
}

export function propertyNames(kind: RuleKind): string[] {
  return [...BY_KIND[kind].values()].map((p) => p.name);
}

export function findItemProperty(item: ItemDefinition, name: string): PropertyDefinition | undefined {
  const lower = name.toLowerCase();
  return item.properties.find((p) => p.name.toLowerCase() === lower);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
  return GUID.test(text);
}
