import type { RuleKind } from './ast';

/**
 * How a rule property reads a Microsoft Graph object (v1.0 JSON, as `GET /users` and
 * `GET /devices` return it). This is the one place that knows both vocabularies.
 *
 * | rule property                      | Graph JSON                                                    |
 * |------------------------------------|---------------------------------------------------------------|
 * | user.objectId / device.objectId    | id                                                            |
 * | user.dirSyncEnabled                | onPremisesSyncEnabled                                         |
 * | user.mailNickName                  | mailNickname                                                  |
 * | user.mobile                        | mobilePhone                                                   |
 * | user.facsimileTelephoneNumber      | faxNumber                                                     |
 * | user.physicalDeliveryOfficeName    | officeLocation                                                |
 * | user.telephoneNumber               | businessPhones[0]                                             |
 * | user.sipProxyAddress               | the proxyAddresses entry starting "SIP:", without that prefix |
 * | user.extensionAttribute1–15        | onPremisesExtensionAttributes.extensionAttribute1–15          |
 * | device.extensionAttribute1–15      | extensionAttributes.extensionAttribute1–15                    |
 * | device.deviceManagementAppId       | mdmAppId                                                      |
 * | device.deviceManufacturer          | manufacturer                                                  |
 * | device.deviceModel                 | model                                                         |
 * | device.deviceOSType                | operatingSystem                                               |
 * | device.deviceOSVersion             | operatingSystemVersion                                        |
 * | device.devicePhysicalIds           | physicalIds                                                   |
 * | device.deviceTrustType             | trustType                                                     |
 * | user.memberOf / device.memberOf    | memberOf: string[] of group ids, supplied by the caller       |
 * | Direct Reports for "<id>"          | manager.id (read with $expand=manager), or managerId: string  |
 * | user.extension_<appId>_<name>      | the property of the same name                                 |
 * | every other property               | the property of the same name                                 |
 *
 * Graph has no memberOf list on the object itself: callers add `memberOf` (for example from
 * `$expand=memberOf($select=id)` or `/memberOf`) when a rule uses it.
 */

/**
 * A user or device as Graph returns it, plus the optional `memberOf` (group ids) and `manager`.
 * Any object will do, so typed Graph models can be passed as they are.
 */
export type DirectoryObject = object;

type Fields = Readonly<Record<string, unknown>>;

export type GraphReader = (object: DirectoryObject) => unknown;

function field(name: string): GraphReader {
  return (object) => (object as Fields)[name];
}

function nested(outer: string, inner: string): GraphReader {
  return (object) => {
    const container = (object as Fields)[outer];
    return container !== null && typeof container === 'object' ? (container as Record<string, unknown>)[inner] : undefined;
  };
}

function firstBusinessPhone(object: DirectoryObject): unknown {
  const phones = (object as Fields).businessPhones;
  return Array.isArray(phones) ? phones[0] : undefined;
}

function sipProxyAddress(object: DirectoryObject): unknown {
  const addresses = (object as Fields).proxyAddresses;
  if (!Array.isArray(addresses)) return undefined;
  const sip = addresses.find((a): a is string => typeof a === 'string' && a.toLowerCase().startsWith('sip:'));
  return sip?.slice(4);
}

const RENAMED: Record<RuleKind, Record<string, GraphReader>> = {
  user: {
    objectId: field('id'),
    dirSyncEnabled: field('onPremisesSyncEnabled'),
    mailNickName: field('mailNickname'),
    mobile: field('mobilePhone'),
    facsimileTelephoneNumber: field('faxNumber'),
    physicalDeliveryOfficeName: field('officeLocation'),
    telephoneNumber: firstBusinessPhone,
    sipProxyAddress,
  },
  device: {
    objectId: field('id'),
    deviceManagementAppId: field('mdmAppId'),
    deviceManufacturer: field('manufacturer'),
    deviceModel: field('model'),
    deviceOSType: field('operatingSystem'),
    deviceOSVersion: field('operatingSystemVersion'),
    devicePhysicalIds: field('physicalIds'),
    deviceTrustType: field('trustType'),
  },
};

const EXTENSION_ATTRIBUTE = /^extensionAttribute(\d+)$/;
const EXTENSION_CONTAINER: Record<RuleKind, string> = {
  user: 'onPremisesExtensionAttributes',
  device: 'extensionAttributes',
};

/** The reader for a property, given its canonical rule name. */
export function graphReader(kind: RuleKind, property: string): GraphReader {
  const renamed = RENAMED[kind][property];
  if (renamed) return renamed;
  if (EXTENSION_ATTRIBUTE.test(property)) return nested(EXTENSION_CONTAINER[kind], property);
  return field(property);
}

/** The manager's object id, for `Direct Reports for "<id>"`. */
export function managerId(object: DirectoryObject): string | undefined {
  const { manager, managerId: id } = object as Fields;
  if (manager !== null && typeof manager === 'object') {
    const managerObjectId = (manager as Fields).id;
    if (typeof managerObjectId === 'string') return managerObjectId;
  }
  return typeof id === 'string' ? id : undefined;
}

/** The object's id and name, for previews. */
export function identify(object: DirectoryObject): { id: string; displayName: string } {
  const { id, displayName } = object as Fields;
  return {
    id: typeof id === 'string' ? id : '',
    displayName: typeof displayName === 'string' ? displayName : '',
  };
}
