import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { SqliteRequestStore } from '../../src/storage/sqliteRequestStore';
import { startBotProcess, type RunningBotProcess } from '../../scripts/local/botProcess';
import { loopbackPort } from '../../scripts/local/loopbackPort';
import { TeamsChannel } from './teamsChannel';

/**
 * The bot as production runs it, in its own process on one port and one SQLite file, so a test
 * can kill it at a named point (CRASH_AT) and start it again on the same store, with the same
 * Teams and directory around it.
 */
export class RestartableBot {
  private running?: RunningBotProcess;

  private constructor(
    readonly directory: LocalDirectory,
    readonly teams: TeamsChannel,
    readonly folder: string,
    private readonly port: number,
    private readonly baseEnv: Record<string, string>,
  ) {}

  /** `env` is given the directory's settings (app-only or delegated) and is kept for every start. */
  static async open(
    name: string,
    mode: 'app' | 'delegated',
    env: (folder: string, directory: LocalDirectory) => Record<string, string> = () => ({}),
  ): Promise<RestartableBot> {
    const directory = await startLocalDirectory();
    const folder = mkdtempSync(join(tmpdir(), `${name}-`));
    const port = await loopbackPort(0, 'the bot');
    const teams = new TeamsChannel(`http://127.0.0.1:${port}`);
    await teams.start();
    const baseEnv = { ...directory.botEnvironment(mode), SQLITE_PATH: join(folder, 'requests.db'), ...env(folder, directory) };
    return new RestartableBot(directory, teams, folder, port, baseEnv);
  }

  /** Starts the bot, stopping the one before if it still runs; `extraEnv` holds for this start only. */
  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    await this.running?.stop();
    this.running = await this.launch(extraEnv);
  }

  /** Starts a bot that may die before it answers its first health check: resolves with how it ended. */
  async startToCrash(crashAt: string): Promise<string | number | null> {
    await this.running?.stop();
    this.running = undefined;
    return this.launch({ CRASH_AT: crashAt }).then(
      (started) => started.exited(),
      (error: Error) => error.message,
    );
  }

  /** How the running bot ended: its exit code, or the signal that killed it. */
  exited(): Promise<number | NodeJS.Signals | null> | undefined {
    return this.running?.exited();
  }

  async stop(): Promise<void> {
    await this.running?.stop();
  }

  /** Reads the store as another process would, while the bot runs or after it died. */
  async storeRead<T>(read: (store: SqliteRequestStore) => Promise<T>): Promise<T> {
    const store = await SqliteRequestStore.open({ path: this.baseEnv.SQLITE_PATH });
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  }

  stored(id: string): Promise<GroupRequest | undefined> {
    return this.storeRead((store) => store.get(id));
  }

  async close(): Promise<void> {
    await this.running?.stop();
    await this.teams.stop();
    await this.directory.stop();
    rmSync(this.folder, { recursive: true, force: true });
  }

  private launch(extraEnv: Record<string, string>): Promise<RunningBotProcess> {
    return startBotProcess({ port: this.port, env: { ...this.baseEnv, ...extraEnv }, logFolder: this.folder });
  }
}
