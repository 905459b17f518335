import { LIMITS, checkRequestForm, readFormValues, splitPrincipalNames } from '../../src/requests/requestForm';
import { deriveMailNickname, mailNicknameProblem } from '../../src/requests/mailNickname';

const valid = {
  preset: 'custom',
  displayName: 'Sales laptops pilot',
  membershipType: 'assigned',
  members: 'megan.bowen@contoso.com, alexw@contoso.com',
  justification: 'Pilot of the new laptop image',
};

describe('the request form, checked on the server', () => {
  it('accepts a valid assigned group and derives the mail nickname from the name', () => {
    const result = checkRequestForm(valid);
    expect(result).toEqual({
      ok: true,
      spec: expect.objectContaining({ mailNickname: 'Sales-laptops-pilot', members: ['megan.bowen@contoso.com', 'alexw@contoso.com'] }),
    });
  });

  it('takes the Autopilot pair: the user group from the usual fields, the device group named apart with a nickname of its own', () => {
    const pair = { ...valid, preset: 'autopilotPair', deviceDisplayName: 'Autopilot DP devices' };
    expect(checkRequestForm(pair)).toEqual({
      ok: true,
      spec: expect.objectContaining({
        preset: 'autopilotPair',
        mailNickname: 'Sales-laptops-pilot',
        deviceGroup: { displayName: 'Autopilot DP devices', mailNickname: 'Autopilot-DP-devices' },
      }),
    });
    expect(checkRequestForm({ ...pair, deviceDisplayName: '' })).toEqual({
      ok: false,
      errors: { deviceDisplayName: 'Device group: Give the group a name.' },
    });
    expect(checkRequestForm({ ...pair, deviceMailNickname: 'sales-LAPTOPS-pilot' })).toEqual({
      ok: false,
      errors: { deviceMailNickname: expect.stringMatching(/needs a mail nickname of its own/) },
    });
    // Device group fields a form sends for another kind of group are not part of its request.
    const custom = checkRequestForm({ ...valid, deviceDisplayName: 'left over' });
    expect(custom.ok && custom.spec.deviceGroup).toBeUndefined();
  });

  it('reports every bad field at once, each next to its field', () => {
    const result = checkRequestForm({
      preset: 'wizard',
      displayName: 'x'.repeat(257),
      mailNickname: 'bad nick(name)',
      description: 'd'.repeat(1025),
      owners: 'not-an-address',
      members: 'also wrong',
      justification: '',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['preset', 'displayName', 'mailNickname', 'description', 'owners', 'members', 'justification'].sort(),
    );
    expect(result.errors.displayName).toMatch(/at most 256 characters \(this one has 257\)/);
    expect(result.errors.mailNickname).toMatch(/cannot contain/);
    expect(result.errors.owners).toMatch(/not-an-address/);
  });

  it('refuses a membership type the form does not offer', () => {
    const result = checkRequestForm({ ...valid, membershipType: 'sometimes' });
    expect(result.ok || result.errors).toEqual({ membershipType: 'Choose Assigned or Dynamic.' });
  });

  it('requires a rule for a dynamic group, and caps the rule at 3,072 characters', () => {
    const noRule = checkRequestForm({ ...valid, membershipType: 'dynamic' });
    expect(noRule.ok || noRule.errors).toEqual({
      membershipRule: expect.stringMatching(/A dynamic group needs a membership rule/),
    });
    const long = checkRequestForm({ ...valid, membershipType: 'dynamic', membershipRule: 'a'.repeat(3073) });
    expect(long.ok || long.errors.membershipRule).toMatch(/at most 3072/);
  });

  it('makes the Autopilot device group assigned and empty, whatever a card claims', () => {
    const result = checkRequestForm({
      ...valid,
      preset: 'autopilotDevices',
      membershipType: 'dynamic',
      membershipRule: 'device.deviceOSType -eq "Windows"',
      memberIds: '11111111-1111-1111-1111-111111111111',
    });
    expect(result.ok && result.spec).toMatchObject({ preset: 'autopilotDevices', membershipType: 'assigned', members: [] });
    expect(result.ok && result.spec.membershipRule).toBeUndefined();
  });

  it('bounds the owners and members boxes, and names at most a few dozen malformed members while counting all', () => {
    const tooMany = checkRequestForm({
      ...valid,
      members: 'a@contoso.com,'.repeat(LIMITS.members / 10),
      owners: 'o@contoso.com '.repeat(1000),
    });
    expect(tooMany).toEqual({
      ok: false,
      errors: {
        members: expect.stringMatching(/^The members list can have at most 250000 characters/),
        owners: expect.stringMatching(/^The owners list can have at most 12000 characters/),
      },
    });
    const malformed = Array.from({ length: 1000 }, (_, i) => `name${i}`).join('\n');
    const errors = (checkRequestForm({ ...valid, members: malformed }) as { errors: Record<string, string> }).errors;
    expect(errors.members).toMatch(/^Not a user principal name or email address: name0, name1, .*name24 …and 975 more\.$/);
  });

  it('keeps only the form fields a card sends, as strings', () => {
    expect(readFormValues({ displayName: 'A', status: 'created', members: 42, requestId: 'X' })).toEqual({ displayName: 'A' });
    expect(readFormValues('nonsense')).toEqual({});
  });

  it('splits member lists on commas, semicolons and lines, dropping repeats whatever their case', () => {
    expect(splitPrincipalNames('a@x.com;b@x.com\nA@X.com , c@x.com')).toEqual(['a@x.com', 'b@x.com', 'c@x.com']);
  });
});

describe('mail nicknames', () => {
  it.each([
    ['Autopilot DP – Users (Sales)', 'Autopilot-DP-Users-Sales'],
    ['Équipe Montréal', 'Equipe-Montreal'],
    ['.hidden', 'hidden'],
  ])('derives %p as %p', (name, nickname) => {
    expect(deriveMailNickname(name)).toBe(nickname);
    expect(mailNicknameProblem(nickname)).toBeUndefined();
  });

  it.each([
    ['a'.repeat(65), /at most 64/],
    ['naïve', /ASCII/],
    ['a@b', /cannot contain @/],
    ['semi;colon', /cannot contain ;/],
    ['has space', /cannot contain spaces/],
    ['.dot', /cannot start with a dot/],
  ])('refuses %p', (nickname, message) => {
    expect(mailNicknameProblem(nickname)).toMatch(message);
  });
});

describe('the rule builder on the form', () => {
  it('makes the rule from its rows when no rule text is given', () => {
    const result = checkRequestForm({
      ...valid,
      members: '',
      membershipType: 'dynamic',
      ruleProperty1: 'user.department',
      ruleOperator1: 'eq',
      ruleValue1: 'Sales',
      ruleJoin2: 'and',
      ruleProperty2: 'user.accountEnabled',
      ruleOperator2: 'eq',
      ruleValue2: 'true',
    });
    expect(result.ok && result.spec.membershipRule).toBe('user.department -eq "Sales" -and user.accountEnabled -eq true');
  });

  it('says which row is incomplete', () => {
    const result = checkRequestForm({
      ...valid,
      members: '',
      membershipType: 'dynamic',
      ruleProperty1: 'device.deviceOSType',
      ruleOperator1: 'eq',
      ruleValue1: 'Windows',
      ruleJoin2: 'or',
      ruleProperty2: 'device.deviceModel',
      ruleOperator2: 'startsWith',
      ruleValue2: '',
    });
    expect(result.ok || result.errors.membershipRule).toBe('Row 2: give a value to compare device.deviceModel with.');
  });

  it('prefers the rule text when both are given', () => {
    const result = checkRequestForm({
      ...valid,
      members: '',
      membershipType: 'dynamic',
      membershipRule: 'user.city -eq "Oslo"',
      ruleProperty1: 'user.department',
      ruleOperator1: 'eq',
      ruleValue1: 'Sales',
    });
    expect(result.ok && result.spec.membershipRule).toBe('user.city -eq "Oslo"');
  });
});

describe('what the form of the chosen kind and type does not show is set aside, never checked or stored', () => {
  it('ignores a rule and rule builder rows sent with an assigned group', () => {
    const result = checkRequestForm({ ...valid, membershipRule: 'user.city -eq "Oslo"', ruleProperty1: 'user.city', ruleValue1: '\u202E' });
    expect(result.ok && result.spec).toMatchObject({
      membershipType: 'assigned',
      members: ['megan.bowen@contoso.com', 'alexw@contoso.com'],
    });
    expect(result.ok && result.spec.membershipRule).toBeUndefined();
  });

  it('ignores members, even malformed ones, sent with a dynamic group', () => {
    const result = checkRequestForm({ ...valid, members: 'not a name', membershipType: 'dynamic', membershipRule: 'user.city -eq "Oslo"' });
    expect(result.ok && result.spec).toMatchObject({ members: [], membershipRule: 'user.city -eq "Oslo"' });
  });

  it("says each hidden character under its own field, the rule builder's under the rule, all at once", () => {
    const result = checkRequestForm({
      ...valid,
      displayName: 'Pilot\u202Egroup',
      justification: '\u200B\u200B',
      membershipType: 'dynamic',
      members: '',
      ruleProperty1: 'user.department',
      ruleOperator1: 'eq',
      ruleValue1: 'Sales\u0007',
    });
    expect(result).toEqual({
      ok: false,
      errors: expect.objectContaining({
        displayName: expect.stringMatching(/text-direction control \(U\+202E\) at character 6/),
        justification: 'Say why the group is needed: the approver reads this.',
        membershipRule: expect.stringMatching(/^Rule builder, row 1: This contains a control character \(U\+0007\)/),
      }),
    });
  });
});
