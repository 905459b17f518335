import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPROVER, APPROVERS_GROUP_ID, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, approvalCardOf, submitRequestForm, until } from '../support/botUnderTest';
import { RestartableBot } from '../support/restartableBot';
import { cardText, requestIdOf, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const ESCALATION_CHANNEL_ID = '19:escalation@thread.tacv2';

let bot: RestartableBot;

beforeAll(async () => {
  bot = await RestartableBot.open('waiting-restart', 'app', (folder) => {
    const policyFile = join(folder, 'policy.json');
    // Seconds instead of hours: by the time the bot looks, both are due.
    writeFileSync(
      policyFile,
      JSON.stringify({
        routes: [
          {
            name: 'Timed',
            stages: [{ name: 'Approval', approversGroupId: APPROVERS_GROUP_ID }],
            remindAfter: 'PT1S',
            escalation: { after: 'PT2S', approversGroupId: APPROVERS_GROUP_ID, channel: ESCALATION_CHANNEL_ID },
            expireAfter: 'P1D',
          },
        ],
      }),
    );
    return {
      APPROVER_CACHE_SECONDS: '0',
      LOG_LEVEL: 'info',
      APPROVAL_POLICY_FILE: policyFile,
      OUTBOX_POLL_SECONDS: '0.2',
      WAITING_SWEEP_SECONDS: '0.2',
    };
  });
});

afterAll(() => bot.close());

test('a reminder and an escalation recorded before a crash are each sent exactly once after the restart, and never again', async () => {
  // Submitted while no sweep runs, so the reminder and escalation fall due with the bot stopped.
  await bot.start({ WAITING_SWEEP_SECONDS: '3600' });
  await bot.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
  const { form, id } = await submitRequestForm(bot.teams, requester, PERSONAL_REQUESTER, {
    displayName: 'Waits through a crash',
    members: 'alexw@contoso.com',
    justification: 'restart test',
  });
  const approval = await approvalCardOf(bot.teams, id);
  // The submission's own card update is delivered before the stop, so the next bot's first delivery is the reminder's.
  await until('the form to be updated', () => bot.teams.updatesOf(form.id) > 0);

  // The sweep records both in the request's history with their messages; the bot dies before sending any.
  // It may die before answering its first health check: then starting it fails, having crashed all the same.
  const crashed = await bot.startToCrash('beforeDelivery');
  expect(crashed).toMatch(/^SIGKILL$|exited while starting/);
  const recorded = await bot.stored(id);
  expect(recorded?.audit.filter((entry) => entry.reminder)).toHaveLength(1);
  const threadReplies = () => bot.teams.sent.filter((a) => a.conversationId === APPROVALS_CHANNEL.id && a.thread === approval.id);
  const escalationCards = () => bot.teams.cardsIn(ESCALATION_CHANNEL_ID).filter((a) => requestIdOf(a.attachments?.[0]?.content) === id);
  expect(threadReplies()).toEqual([]);

  await bot.start();
  await until(
    'the reminder in the thread and the card in the escalation channel',
    () => threadReplies().length && escalationCards().length,
  );
  await until('the approval card to say both', () =>
    /Waiting for a decision for .* \(approvers reminded once, escalated\)/.test(
      cardText(bot.teams.latest(approval.id)?.attachments?.[0].content),
    ),
  );
  expect(threadReplies().map((a) => a.text)).toEqual([
    expect.stringMatching(new RegExp(`^Reminder: request ${id} has waited \\d+ seconds? for a decision`)),
  ]);

  // Another restart, with the sweep running all along: nothing is sent twice.
  await bot.start();
  // Ten sweeps' worth: a repeat would have been recorded and sent by now.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await until('nothing left to send', async () => (await bot.storeRead((store) => store.pendingChanges(10))).length === 0);
  const settled = await bot.stored(id);
  expect(settled?.audit.filter((entry) => entry.reminder)).toHaveLength(1);
  expect(settled?.audit.filter((entry) => entry.escalation)).toHaveLength(1);
  expect(settled?.cards.escalationActivityId).toBe(escalationCards()[0].id);
  expect(threadReplies()).toHaveLength(1);
  expect(escalationCards()).toHaveLength(1);
}, 300_000);
