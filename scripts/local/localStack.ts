import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import { startBotProcess, type RunningBotProcess } from './botProcess';
import { loopbackPort } from './loopbackPort';
import { playgroundServiceUrl, startPlayground, type PlaygroundChannel, type RunningPlayground } from './playground';

const PLAYGROUND_CONFIGS = join(__dirname, '..', '..', 'playground');
/** The "Group approvals" channel of playground/approver.m365agentsplayground.yml (checked at start). */
const APPROVALS_CHANNEL_ID = '19:group-approvals@thread.tacv2';

export interface LocalStackOptions {
  /** Logs go here (and the store, unless `botSettings` names SQLITE_PATH). */
  dataFolder: string;
  /** 0 picks free ports. */
  ports: { bot: number; requester: number; approver: number };
  /** Settings for the bot over the stack's own (e.g. from env/.env.local). */
  botSettings?: Record<string, string>;
}

export interface LocalStack {
  directory: LocalDirectory;
  bot: RunningBotProcess;
  /** Acts as Megan Bowen, who asks for groups. */
  requester: RunningPlayground;
  /** Acts as Adele Vance, an approver. */
  approver: RunningPlayground;
  /** Where approval cards go: the approver Playground's team channel. */
  approvalsChannel: PlaygroundChannel;
  stop(): Promise<void>;
}

/**
 * The whole product on 127.0.0.1: the sample tenant (token authority and Graph emulator), the
 * bot, and two Agents Playgrounds, one per person, each a separate Teams client of the same bot.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.dataFolder, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const directory = await startLocalDirectory();
    stops.push(() => directory.stop());
    const ports = {
      bot: await loopbackPort(options.ports.bot, 'the bot'),
      requester: await loopbackPort(options.ports.requester, "the requester's Agents Playground"),
      approver: await loopbackPort(options.ports.approver, "the approver's Agents Playground"),
    };
    const approverServiceUrl = playgroundServiceUrl(ports.approver);

    // In Teams the bot learns a channel's service URL from its activities; here the channel is
    // shown by the approver's Playground only, so the bot is told it up front. The bot starts
    // first: a Playground waits at start for the bot to answer.
    const bot = await startBotProcess({
      port: ports.bot,
      logFolder: options.dataFolder,
      env: {
        ...directory.botEnvironment('app'),
        APPROVALS_CHANNEL_ID,
        APPROVALS_SERVICE_URL: approverServiceUrl,
        // The Playground shows no user-specific views ("not supported yet", it logs): approvers would see no buttons.
        APPROVAL_BUTTONS: 'everyone',
        ...options.botSettings,
      },
    });
    stops.push(() => bot.stop());

    const playground = async (name: 'requester' | 'approver') => {
      const running = await startPlayground({
        name,
        configFile: join(PLAYGROUND_CONFIGS, `${name}.m365agentsplayground.yml`),
        port: ports[name],
        botEndpoint: bot.endpoint,
        logFolder: options.dataFolder,
      });
      stops.push(() => running.stop());
      return running;
    };
    const started = await Promise.allSettled([playground('requester'), playground('approver')]);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const [requester, approver] = started.map((outcome) => (outcome as PromiseFulfilledResult<RunningPlayground>).value);
    const approvalsChannel = approver.channels.find((channel) => channel.id === APPROVALS_CHANNEL_ID);
    if (!approvalsChannel)
      throw new Error(`playground/approver.m365agentsplayground.yml has no team channel ${APPROVALS_CHANNEL_ID} for approvals.`);
    return { directory, bot, requester, approver, approvalsChannel, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
