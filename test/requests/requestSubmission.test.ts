import { submitRequest } from '../../src/requests/requestSubmission';
import { requestsWorld, validForm } from './fakes/requestsWorld';
import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../../src/requests/groupRequest';

let world: ReturnType<typeof requestsWorld>;
let requester: ReturnType<typeof world.person>;

beforeEach(() => {
  world = requestsWorld();
  requester = world.person('ada.requester@contoso.example');
  world.person('olga.owner@contoso.example');
  world.person('mia.member@contoso.example');
});

test('a submission naming members the directory does not know is refused, listing each of them, and nothing is stored', async () => {
  const form = validForm({ members: 'mia.member@contoso.example ghost.one@contoso.example ghost.two@contoso.example' });

  const outcome = await submitRequest(world.ctx, form, requester);

  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.errors.members).toMatch(/ghost\.one@contoso\.example/);
  expect(outcome.errors.members).toMatch(/ghost\.two@contoso\.example/);
  expect(outcome.errors.members).not.toMatch(/mia\.member/);
  expect(await world.store.listByStatus(['submitted'], 10)).toEqual([]);
});

test('a mail nickname an open request holds is refused, naming that request', async () => {
  const first = await submitRequest(world.ctx, validForm({ mailNickname: 'finance-close' }), requester);
  expect(first.ok).toBe(true);
  if (!first.ok) return;

  const second = await submitRequest(world.ctx, validForm({ displayName: 'SG-Other', mailNickname: 'FINANCE-CLOSE' }), requester);

  expect(second).toEqual({
    ok: false,
    errors: {
      mailNickname: `Request ${first.request.id} ("SG-Finance-Close") already asks for the mail nickname FINANCE-CLOSE: choose another.`,
    },
  });
});

test('the same form sent twice stores one request and answers with it both times', async () => {
  const once = await submitRequest(world.ctx, validForm(), requester, {}, 'form-message-1');
  const twice = await submitRequest(world.ctx, validForm(), requester, {}, 'form-message-1');

  expect(once.ok && twice.ok).toBe(true);
  if (!once.ok || !twice.ok) return;
  expect(twice.repeated).toBe(true);
  expect(twice.request.id).toBe(once.request.id);
  expect(await world.store.listByStatus(['submitted'], 10)).toHaveLength(1);
});

test("the Autopilot pair's device nickname is held like any other: a request asking for it is refused next to the field that names it", async () => {
  world.directory.addServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID, 'Intune Provisioning Client');
  const pair = validForm({ preset: 'autopilotPair', deviceDisplayName: 'Finance devices', deviceMailNickname: 'finance-devices' });
  const first = await submitRequest(world.ctx, pair, requester);
  if (!first.ok) throw new Error(JSON.stringify(first.errors));

  const single = await submitRequest(world.ctx, validForm({ displayName: 'Finance other', mailNickname: 'FINANCE-devices' }), requester);
  expect(single).toEqual({ ok: false, errors: { mailNickname: expect.stringContaining(`Request ${first.request.id}`) } });
  const second = await submitRequest(world.ctx, { ...pair, displayName: 'Finance users 2' }, requester);
  expect(second).toEqual({
    ok: false,
    errors: { deviceMailNickname: expect.stringMatching(new RegExp(`^Device group: Request ${first.request.id} .* finance-devices`)) },
  });
});
