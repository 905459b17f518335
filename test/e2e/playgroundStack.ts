import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack';
import { launchChromium } from './playgroundPage';

/** The product as `npm start` runs it, on free ports with a SQLite file of its own, and a headless Chromium to drive it. */
export interface PlaygroundStack {
  stack: LocalStack;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startPlaygroundStack(folderPrefix: string): Promise<PlaygroundStack> {
  const folder = mkdtempSync(join(tmpdir(), folderPrefix));
  const stack = await startLocalStack({
    dataFolder: folder,
    ports: { bot: 0, requester: 0, approver: 0 },
    botSettings: { SQLITE_PATH: join(folder, 'requests.db') },
  });
  const browser = await launchChromium();
  return {
    stack,
    browser,
    async stop() {
      await browser.close();
      await stack.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
