import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPROVER } from '../../src/dev/fixtures/wellKnown';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import { startAzuriteTables, type AzuriteTables } from '../support/azuriteTables';
import { APPROVALS_CHANNEL, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { requestIdOf, teamsUser } from '../support/teamsChannel';
import { sampleRequest } from '../storage/sampleRequest';

const approver = teamsUser(APPROVER);
const WAITING = 20;

/**
 * Two instances of the bot on one store, both looking at the outbox twice a second:
 * of the two, the one that claimed a change delivers it, so Teams gets each card once.
 */
describe.each(['sqlite', 'azureTables'] as const)('two bot instances delivering one outbox (%s)', (kind) => {
  let directory: LocalDirectory;
  let azurite: AzuriteTables | undefined;
  let folder: string;
  let first: BotUnderTest;
  let second: BotUnderTest;

  beforeAll(async () => {
    directory = await startLocalDirectory();
    folder = mkdtempSync(join(tmpdir(), 'outbox-claims-'));
    azurite = kind === 'azureTables' ? await startAzuriteTables() : undefined;
    const store: Record<string, string> = azurite
      ? { STORE: 'azureTables', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_TABLE_PREFIX: 'Claims' }
      : { SQLITE_PATH: join(folder, 'shared.db') };
    const settings = { ...store, OUTBOX_POLL_SECONDS: '0.5' };
    first = await startBotUnderTest('app', settings, directory);
    second = await startBotUnderTest('app', settings, directory);
  }, 120_000);

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await directory?.stop();
    await azurite?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('posts each waiting approval card exactly once, and records where each one is', async () => {
    const waiting = Array.from({ length: WAITING }, (_, i) => ({
      ...sampleRequest(),
      id: `CLAIM${kind.length}${String(i).padStart(3, '0')}`,
    }));
    for (const request of waiting) await first.bot.store.insert(request);

    const [reply] = await first.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
    expect(reply.text).toMatch(new RegExp(`${WAITING} waiting requests are posted now`));
    // Each instance waits until the store has nothing left to deliver, whoever delivered it.
    await Promise.all([first.bot.settled(), second.bot.settled()]);

    // Both instances post through the channel's connector, which is the first one's Teams.
    const posted = first.teams.cardsIn(APPROVALS_CHANNEL.id).map((a) => ({ id: a.id, requestId: requestIdOf(a.attachments?.[0].content) }));
    expect(posted.map((p) => p.requestId).sort()).toEqual(waiting.map((r) => r.id).sort());
    for (const request of waiting) {
      const stored = await first.bot.store.get(request.id);
      expect(posted.find((p) => p.requestId === request.id)?.id).toBe(stored?.cards.approvalActivityId);
    }
    expect(await first.bot.store.pendingChanges(10)).toEqual([]);
  }, 180_000);
});
