import type { Browser } from 'playwright-core';
import type { LocalStack } from '../../scripts/local/localStack';
import { APPROVER, INTUNE_ADMIN, INTUNE_PROVISIONING_CLIENT, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { PlaygroundPage } from './playgroundPage';
import { startPlaygroundStack, type PlaygroundStack } from './playgroundStack';

/**
 * The Autopilot pair as `npm start` runs it: Megan asks for the user group and the device group
 * of device preparation in one form, Adele approves once, and both groups exist, the device
 * group owned by the Intune Provisioning Client.
 */

const USERS = 'Autopilot DP - Users - Nordics';
const DEVICES = 'Autopilot DP - Devices - Nordics';

let running: PlaygroundStack | undefined;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  running = await startPlaygroundStack('playground-pair-e2e-');
  ({ stack, browser } = running);
}, 180000);

afterAll(() => running?.stop());

test('the Autopilot pair asked for in one form and approved once makes both groups, the device group with its owner', async () => {
  const megan = await PlaygroundPage.open(browser, stack.requester.url, { width: 1280, height: 1900 });
  const adele = await PlaygroundPage.open(browser, stack.approver.url);
  await adele.openConversation(`${stack.approvalsChannel.teamName} - ${stack.approvalsChannel.name}`);

  await megan.openConversation('Personal Chat');
  await megan.say('new group');
  const kinds = await megan.card('Request a security group');
  await megan.press(kinds, 'Change to: Autopilot user and device groups');
  const form = await megan.card('Both groups the device preparation policy needs');
  await megan.fill(form, 'Display name', USERS);
  await megan.fill(form, 'Device group name', DEVICES);
  await megan.fill(form, 'Members by name', INTUNE_ADMIN.userPrincipalName);
  await megan.fill(form, 'Justification', 'Device preparation pilot');
  await megan.press(form, 'Submit request');
  await megan.card(/Submitted, waiting for approval/);

  const approval = await adele.card(`Group request from ${REQUESTER.displayName}`);
  expect(await approval.textContent()).toContain(DEVICES);
  await adele.press(approval, 'Approve');

  const created = await adele.card(new RegExp(`Created, approved by ${APPROVER.displayName}`));
  const groups = await stack.directory.graph.controls.groups();
  const users = groups.find((group) => group.displayName === USERS);
  const devices = groups.find((group) => group.displayName === DEVICES);
  expect(users?.members).toEqual([INTUNE_ADMIN.id]);
  expect(devices?.members).toEqual([]);
  expect(devices?.owners).toContain(INTUNE_PROVISIONING_CLIENT.servicePrincipalId);
  const shown = await created.textContent();
  expect(shown).toContain(`object id ${users?.id}`);
  expect(shown).toContain(`object id ${devices?.id}`);
  await adele.screenshot('autopilot-pair.png', created);
  await megan.card(new RegExp(`Created, approved by ${APPROVER.displayName}`));
}, 300000);
