import { compileRule, evaluateRule, InvalidRuleError, matches } from '../../src/rules';

const MANAGER = 'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb';
const EXCHANGE_PLAN_2 = 'efb87545-963c-4e0d-99df-69c6916d9eb0';

describe('evaluating rules against Graph users', () => {
  it('matches -match anywhere in the value, ignoring case, as the documentation describes', () => {
    const startsWithDa = compileRule('user.displayName -match "^Da.*"');
    expect(['Da', 'Dav', 'David', 'aDa'].map((displayName) => startsWithDa.matches({ displayName }))).toEqual([true, true, true, false]);
    const endsInVid = compileRule('user.displayName -match ".*vid"');
    expect(['David', 'Da'].map((displayName) => endsInVid.matches({ displayName }))).toEqual([true, false]);
    expect(startsWithDa.matches({ displayName: 'dAVID' })).toBe(true);
  });

  it('compares text without regard to case', () => {
    expect(evaluateRule('user.department -eq "SALES"', { department: 'Sales' })).toBe(true);
    expect(evaluateRule('user.mail -notEndsWith "@Contoso.com"', { mail: 'kim@CONTOSO.COM' })).toBe(false);
    expect(evaluateRule('user.city -in ["lagos", "Abuja"]', { city: 'LAGOS' })).toBe(true);
  });

  it('treats a missing or null value as null: it equals null and fails every positive test', () => {
    const nobody = { id: '1' };
    const unset = { id: '2', department: null };
    for (const user of [nobody, unset]) {
      expect(evaluateRule('user.department -eq null', user)).toBe(true);
      expect(evaluateRule('user.department -ne null', user)).toBe(false);
      expect(evaluateRule('user.department -eq "Sales"', user)).toBe(false);
      expect(evaluateRule('user.department -ne "Sales"', user)).toBe(true);
      expect(evaluateRule('user.department -notStartsWith "S"', user)).toBe(true);
    }
    expect(evaluateRule('user.department -eq "null"', { department: 'null' })).toBe(true);
  });

  it('selects all users with user.objectId -ne null, and only members with the documented variant', () => {
    const rule = compileRule('(user.objectId -ne null) -and (user.userType -eq "Member")');
    expect(rule.matches({ id: 'u1', userType: 'Member' })).toBe(true);
    expect(rule.matches({ id: 'u2', userType: 'Guest' })).toBe(false);
    expect(matches('user.objectId -ne null', { id: 'u2', userType: 'Guest' })).toBe(true);
  });

  it('reads renamed and nested Graph properties', () => {
    const user = {
      id: 'c1a2b3c4-0000-1111-2222-333344445555',
      mailNickname: 'kim-vendor',
      mobilePhone: '+1 555 0100',
      businessPhones: ['+1 555 0199'],
      faxNumber: '+1 555 0142',
      officeLocation: 'Building 7',
      onPremisesSyncEnabled: true,
      proxyAddresses: ['SMTP:kim@contoso.com', 'SIP:kim@contoso.com'],
      onPremisesExtensionAttributes: { extensionAttribute15: 'Marketing' },
      extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber: '123',
    };
    for (const rule of [
      'user.objectId -eq "C1A2B3C4-0000-1111-2222-333344445555"',
      'user.mailNickname -endsWith "-vendor"',
      'user.mobile -eq "+1 555 0100"',
      'user.telephoneNumber -eq "+1 555 0199"',
      'user.facsimileTelephoneNumber -eq "+1 555 0142"',
      'user.physicalDeliveryOfficeName -eq "Building 7"',
      'user.dirSyncEnabled -eq true',
      'user.sipProxyAddress -eq "kim@contoso.com"',
      'user.extensionAttribute15 -eq "Marketing"',
      'user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber -eq "123"',
    ]) {
      expect([rule, evaluateRule(rule, user)]).toEqual([rule, true]);
    }
  });

  it('tests string collections directly (any value passes a positive test, no value passes a negative one) and with _', () => {
    const user = { proxyAddresses: ['SMTP:kim@contoso.com', 'smtp:kim@outlook.com'] };
    expect(evaluateRule('user.proxyAddresses -startsWith "smtp:kim@contoso"', user)).toBe(true);
    expect(evaluateRule('user.proxyAddresses -notEndsWith "@outlook.com"', user)).toBe(false);
    expect(evaluateRule('user.proxyAddresses -notEndsWith "@fabrikam.com"', user)).toBe(true);
    expect(evaluateRule('(user.proxyAddresses -any (_ -startsWith "contoso"))', user)).toBe(false);
    expect(evaluateRule('user.proxyAddresses -all (_ -startsWith "smtp:")', user)).toBe(true);
    expect(evaluateRule('user.otherMails -eq null', user)).toBe(true);
  });

  it('applies -any and -all to assigned plans, -all holding for a user without plans', () => {
    const planned = {
      assignedPlans: [
        { servicePlanId: EXCHANGE_PLAN_2, capabilityStatus: 'Enabled', service: 'exchange' },
        { servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', capabilityStatus: 'Deleted', service: 'SCO' },
      ],
    };
    const exchange = `user.assignedPlans -any (assignedPlan.servicePlanId -eq "${EXCHANGE_PLAN_2}" -and assignedPlan.capabilityStatus -eq "Enabled")`;
    const intune = 'user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")';
    const noPlans = 'user.assignedPlans -all (assignedPlan.servicePlanId -eq null)';
    expect([exchange, intune, noPlans].map((rule) => evaluateRule(rule, planned))).toEqual([true, false, false]);
    expect([exchange, intune, noPlans].map((rule) => evaluateRule(rule, { assignedPlans: [] }))).toEqual([false, false, true]);
  });

  it('compares hire dates with fixed dates and with system.now shifted by a duration', () => {
    const now = new Date('2025-03-01T12:00:00Z');
    const startsTomorrow = compileRule('user.employeeHireDate -ge system.now -plus p1d', 'user', { now });
    expect(startsTomorrow.matches({ employeeHireDate: '2025-03-02T12:00:00Z' })).toBe(true);
    expect(startsTomorrow.matches({ employeeHireDate: '2025-03-02T11:59:59Z' })).toBe(false);
    expect(startsTomorrow.matches({ employeeHireDate: null })).toBe(false);
    const hiredBefore = compileRule('user.employeehiredate -le 2020-06-10T18:13:20Z');
    expect(hiredBefore.matches({ employeeHireDate: '2020-06-10T18:13:20Z' })).toBe(true);
    expect(hiredBefore.matches({ employeeHireDate: '2020-06-10T18:13:21Z' })).toBe(false);
    const lastMonth = compileRule('user.employeeHireDate -ge system.now -minus P1M', 'user', { now });
    expect(lastMonth.matches({ employeeHireDate: '2025-02-01T12:00:00Z' })).toBe(true);
    expect(lastMonth.matches({ employeeHireDate: '2025-01-31T12:00:00Z' })).toBe(false);
  });

  it('matches memberOf against the group ids the caller supplies, and direct reports against the manager', () => {
    const memberOf = compileRule(`user.memberOf -any (group.objectId -in ['${MANAGER}'])`);
    expect(memberOf.matches({ memberOf: [MANAGER.toUpperCase()] })).toBe(true);
    expect(memberOf.matches({ memberOf: [] })).toBe(false);
    expect(memberOf.matches({})).toBe(false);
    const reports = compileRule(`Direct Reports for "${MANAGER}"`);
    expect(reports.matches({ manager: { id: MANAGER } })).toBe(true);
    expect(reports.matches({ manager: { id: 'bbbbbbbb-0000-1111-2222-bbbbbbbbbbbb' } })).toBe(false);
    expect(reports.matches({})).toBe(false);
  });

  it('refuses to evaluate an invalid rule, with the errors', () => {
    expect(() => evaluateRule('user.departmnt -eq "x"', {})).toThrow(InvalidRuleError);
    let refusal: unknown;
    try {
      compileRule('device.deviceModel -eq "x"', 'user');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(InvalidRuleError);
    expect((refusal as InvalidRuleError).errors[0].message).toContain('cannot be mixed');
  });
});

describe('evaluating rules against Graph devices', () => {
  const autopilotLaptop = {
    id: '3f1c0a2e-7b8d-4c6e-9a1f-2b3c4d5e6f70',
    deviceId: 'd4fe7726-5966-431c-b3b8-cddc8fdb717d',
    displayName: 'DESKTOP-7Q2L',
    accountEnabled: true,
    operatingSystem: 'Windows',
    operatingSystemVersion: '10.0.22631.4317',
    manufacturer: 'Contoso Devices',
    model: 'Surface Laptop 6',
    trustType: 'AzureAd',
    mdmAppId: '0000000a-0000-0000-c000-000000000000',
    deviceOwnership: 'Company',
    enrollmentProfileName: 'Autopilot Sales',
    physicalIds: ['[ZTDId]:2b6a1c3e-9f1d-4a55-8a0c-5d3e6f7a8b9c', '[OrderID]:179887111881', '[USER-GID]:12345'],
    systemLabels: ['M365Managed'],
    extensionAttributes: { extensionAttribute1: 'kiosk' },
    isRooted: false,
  };

  it.each([
    ['device.devicePhysicalIDs -any _ -startsWith "[ZTDId]"', true],
    ['device.devicePhysicalIds -any _ -eq "[OrderID]:179887111881"', true],
    ['device.devicePhysicalIds -any _ -eq "[PurchaseOrderId]:76222342342"', false],
    ['device.deviceOSType -eq "Windows" -and device.deviceOSVersion -startsWith "10.0.2"', true],
    ['device.deviceManufacturer -eq "contoso devices" -and device.deviceModel -contains "laptop"', true],
    ['device.deviceTrustType -eq "AzureAD"', true],
    ['device.deviceManagementAppId -eq "0000000a-0000-0000-c000-000000000000"', true],
    ['device.deviceOwnership -eq "Company"', true],
    ['device.enrollmentProfileName -eq "Autopilot Sales"', true],
    ['device.systemLabels -startsWith "M365Managed"', true],
    ['device.extensionAttribute1 -eq "kiosk"', true],
    ['device.isRooted -eq false -and device.accountEnabled -eq true', true],
    ['device.deviceId -eq "d4fe7726-5966-431c-b3b8-cddc8fdb717d"', true],
    ['device.objectId -ne null', true],
    ['(device.deviceOSType -eq "iPad") -or (device.deviceOSType -eq "iOS")', false],
  ])('%s → %s', (rule, expected) => {
    expect(evaluateRule(rule, autopilotLaptop, 'device')).toBe(expected);
  });
});
