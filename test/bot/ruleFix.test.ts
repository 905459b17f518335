import { REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { openRequestForm, PERSONAL_REQUESTER, startBotUnderTest, submitRequestForm, type BotUnderTest } from '../support/botUnderTest';
import { actionData, actionsOf, cardText, inputValues, type TeamsUser } from '../support/teamsChannel';

/** A rule the checker can correct is corrected with one click, and checked again at once. */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const typed = { preset: 'custom', displayName: 'Sales users', membershipType: 'dynamic', justification: 'Sales' };

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
});
afterAll(() => t.stop());

/** Checks `rule` on a fresh form; the card the requester then sees, with the activity it is in. */
async function checkedForm(rule: string) {
  const { form, card: dynamicForm } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { membershipType: 'dynamic' });
  const data = actionData(dynamicForm, 'checkRule');
  const answer = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'checkRule', { ...data, ...typed, membershipRule: rule });
  return { formId: form.id, card: answer.body.value };
}

/** Clicks a fix button as Teams does: the card's inputs as they stand, merged with the button's data. */
async function clickFix(formActivityId: string, card: unknown, data: Record<string, unknown>, edits: Record<string, string> = {}) {
  const answer = await t.teams.click(requester, PERSONAL_REQUESTER, formActivityId, 'applyRuleFix', {
    ...inputValues(card),
    ...edits,
    ...data,
  });
  return answer.body.value;
}

it('says what is wrong in a sentence quoting the misspelt property, and offers the correction as a button', async () => {
  const { card } = await checkedForm('user.departmnt -eq "Sales" -and user.accountEnabled -eq true');
  const text = cardText(card);
  expect(text).toContain(
    'At "user.departmnt" (character 1): departmnt is not a user property that rules can use. Did you mean user.department?',
  );
  expect(text).not.toMatch(/\^/);
  expect(actionsOf(card, 'applyRuleFix').map((a) => a.title)).toEqual(['Fix: "user.departmnt" → "user.department"']);
});

it('applies the correction on click and checks the fixed rule, previewing what it matches', async () => {
  const { formId, card } = await checkedForm('user.departmnt -eq "Sales" -and user.accountEnabled -eq true');
  const [fix] = actionsOf(card, 'applyRuleFix');
  const fixed = await clickFix(formId, card, fix.data);
  expect(inputValues(fixed).membershipRule).toBe('user.department -eq "Sales" -and user.accountEnabled -eq true');
  expect(inputValues(fixed).displayName).toBe('Sales users');
  expect(cardText(fixed)).toMatch(/This rule matches \d+ of the \d+ users in the directory now/);
  expect(cardText(fixed)).not.toMatch(/Did you mean/);
  expect(actionsOf(fixed, 'applyRuleFix')).toEqual([]);
});

it('fixes one problem at a time when there are several, each button its own', async () => {
  const { formId, card } = await checkedForm('user.departmnt -eqq "Sales"');
  // The parser stops at the operator first; once that is fixed, the property is offered.
  const [operatorFix] = actionsOf(card, 'applyRuleFix');
  expect(operatorFix.title).toBe('Fix: "-eqq" → "-eq"');
  const next = await clickFix(formId, card, operatorFix.data);
  expect(inputValues(next).membershipRule).toBe('user.departmnt -eq "Sales"');
  const [propertyFix] = actionsOf(next, 'applyRuleFix');
  const done = await clickFix(formId, next, propertyFix.data);
  expect(inputValues(done).membershipRule).toBe('user.department -eq "Sales"');
  expect(cardText(done)).toMatch(/This rule matches \d+ of the \d+ users/);
});

it('writes only what the server proposes: a replacement put on the card by anyone else changes nothing', async () => {
  const { formId, card } = await checkedForm('user.departmnt -eq "Sales"');
  const [fix] = actionsOf(card, 'applyRuleFix');
  const forged = await clickFix(formId, card, { ...fix.data, ruleFixTo: 'user.objectId -ne null -or user.department' });
  expect(inputValues(forged).membershipRule).toBe('user.departmnt -eq "Sales"');
  expect(cardText(forged)).toMatch(/The rule changed since that fix was offered, so nothing was changed/);
  expect(cardText(forged)).toMatch(/Did you mean user\.department\?/);
});

it('changes nothing when the requester edited the rule after the fix was offered', async () => {
  const { formId, card } = await checkedForm('user.departmnt -eq "Sales"');
  const [fix] = actionsOf(card, 'applyRuleFix');
  const edited = await clickFix(formId, card, fix.data, { membershipRule: 'user.jobTitel -eq "Buyer"' });
  expect(inputValues(edited).membershipRule).toBe('user.jobTitel -eq "Buyer"');
  expect(actionsOf(edited, 'applyRuleFix').map((a) => a.title)).toEqual(['Fix: "user.jobTitel" → "user.jobTitle"']);
});

it('offers the correction on a submitted form the rule kept from being stored, and the fixed form submits', async () => {
  const { form, answer } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
    ...typed,
    displayName: 'Sales users fixed',
    membershipRule: 'user.departmnt -eq "Sales"',
  });
  const refused = answer.body.value;
  const [fix] = actionsOf(refused, 'applyRuleFix');
  const fixed = await clickFix(form.id, refused, fix.data);
  expect(inputValues(fixed).membershipRule).toBe('user.department -eq "Sales"');
  const submitted = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', {
    ...inputValues(fixed),
    ...actionData(fixed, 'submitRequest'),
  });
  expect(cardText(submitted.body.value)).toMatch(/Submitted, waiting for approval/);
});
