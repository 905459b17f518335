import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OwnedProcess } from './childProcess';

const LOOPBACK_ONLY = join(__dirname, 'loopbackOnly.cjs');
const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');

export interface PlaygroundOptions {
  /** Who this Playground acts as, for messages and logs, e.g. "requester". */
  name: string;
  /** A .m365agentsplayground.yml file: its currentUser is the person using this Playground. */
  configFile: string;
  port: number;
  botEndpoint: string;
  logFolder: string;
}

/** A channel of the Playground's team, as its config describes it. */
export interface PlaygroundChannel {
  id: string;
  name: string;
  teamName: string;
}

export interface PlaygroundPerson {
  name: string;
  aadObjectId: string;
}

export interface RunningPlayground {
  name: string;
  /** The web UI. */
  url: string;
  /** The Bot Connector endpoint it puts in every activity's serviceUrl. */
  serviceUrl: string;
  currentUser: PlaygroundPerson;
  channels: PlaygroundChannel[];
  stop(): Promise<void>;
}

interface PlaygroundConfigAnswer {
  config: {
    currentUser: { name: string; aadObjectId: string };
    teams: { name: string; channels: { id: string; name: string }[] }[];
  };
}

/** What the Playground logged as errors (it logs to its file, not to the console). */
function loggedErrors(logFile: string): string {
  if (!existsSync(logFile)) return '';
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('error '))
    .map((line) => line.slice('error '.length))
    .join(' ');
}

/** The config as the Playground read it; it reads the file once listening, and exits if it is wrong. */
async function readConfig(origin: string, child: OwnedProcess, logFile: string): Promise<PlaygroundConfigAnswer> {
  const deadline = Date.now() + 30000;
  while (child.running && Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/_internal/v1/config`);
      if (response.ok) return (await response.json()) as PlaygroundConfigAnswer;
    } catch {
      // not serving yet, or stopping
    }
    await sleep(200);
  }
  const errors = loggedErrors(logFile);
  throw child.failure(errors ? `could not start: ${errors}` : 'did not serve its config');
}

/** The Bot Connector endpoint of the Playground on `port`, which it puts in every activity's serviceUrl. */
export function playgroundServiceUrl(port: number): string {
  return `http://127.0.0.1:${port}/_connector`;
}

/**
 * Starts the Microsoft 365 Agents Playground on 127.0.0.1:`port`, without opening a browser,
 * and fails (instead of moving to a random port as the Playground does) when the port is taken.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const origin = `http://127.0.0.1:${options.port}`;
  const serviceUrl = playgroundServiceUrl(options.port);
  const logFile = join(options.logFolder, `playground-${options.name}.log`);
  const child = OwnedProcess.start(
    `The ${options.name}'s Agents Playground`,
    [
      '--require',
      LOOPBACK_ONLY,
      PLAYGROUND_CLI,
      '--port',
      String(options.port),
      '--app-endpoint',
      options.botEndpoint,
      '--service-url',
      serviceUrl,
      '--channel-id',
      'msteams',
      '--disable-telemetry',
    ],
    {
      cwd: options.logFolder,
      logFile,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configFile,
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      },
    },
  );
  try {
    const [, port] = await child.waitForOutput(/Listening on (\d+)/, 60000);
    if (Number(port) !== options.port) {
      throw new Error(
        `The ${options.name}'s Agents Playground could not have port ${options.port} and took ${port}: free port ${options.port}.`,
      );
    }
    const answer = await readConfig(origin, child, logFile);
    const { currentUser, teams } = answer.config;
    return {
      name: options.name,
      url: `${origin}/`,
      serviceUrl,
      currentUser: { name: currentUser.name, aadObjectId: currentUser.aadObjectId },
      channels: teams.flatMap((team) => team.channels.map((channel) => ({ ...channel, teamName: team.name }))),
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
