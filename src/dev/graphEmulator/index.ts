import type { AuthenticateCaller } from '../callerIdentity';
import { GraphEmulatorControls } from './controlClient';
import { loadFixture, type DirectoryFixture } from './fixture';
import { GRAPH_VERSION_PREFIX, GraphEmulatorServer } from './server';

/**
 * A local Microsoft Graph v1.0 directory: the users, devices, service principals and groups of
 * a fictional tenant, over real HTTP, with Graph's validation, errors, paging and $batch.
 */

export interface GraphEmulatorOptions {
  /** Decides who each request comes from; undefined answers 401 as Graph does. */
  authenticate: AuthenticateCaller;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Defaults to src/dev/fixtures/directory.json. */
  fixturePath?: string;
  /** The directory itself, instead of a file (e.g. the sample tenant plus thousands of generated users). */
  fixture?: DirectoryFixture;
}

export interface RunningGraphEmulator {
  /** e.g. http://127.0.0.1:4010 — give it to the Graph client as its base URL. */
  url: string;
  /** url + '/v1.0'. */
  graphUrl: string;
  /** Fault injection and inspection, over the /_emulator HTTP controls. */
  controls: GraphEmulatorControls;
  /** The server itself, for in-process access to its store, faults and log. */
  server: GraphEmulatorServer;
  stop(): Promise<void>;
}

export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<RunningGraphEmulator> {
  const server = new GraphEmulatorServer({
    authenticate: options.authenticate,
    fixture: options.fixture ?? loadFixture(options.fixturePath),
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  const url = await server.start();
  return {
    url,
    graphUrl: `${url}${GRAPH_VERSION_PREFIX}`,
    controls: new GraphEmulatorControls(url),
    server,
    stop: () => server.stop(),
  };
}

export { GraphEmulatorControls } from './controlClient';
export type { FaultSpec, FaultTarget, PendingFault } from './faults';
export type { InspectedGroup } from './inspection';
export type { RequestRecord, BatchPartRecord } from './requestLog';
export { DEFAULT_FIXTURE_PATH, loadFixture, type DirectoryFixture } from './fixture';
export { GraphEmulatorServer } from './server';
