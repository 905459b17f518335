import { existsSync } from 'node:fs';
import packagedChromium from '@sparticuz/chromium';

/** Debian's Chromium, used when the machine has it (apt-get install chromium). */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Which Chromium the end-to-end test drives, and the flags that build needs. */
export interface TestChromium {
  executablePath: string;
  args: string[];
  origin: string;
}

/**
 * CHROMIUM_PATH when set, else Debian's Chromium, else the build `@sparticuz/chromium` carries in
 * its npm tarball: `npm ci` alone gives a fresh machine a browser, with no download at install time.
 * The packaged build is unpacked into the temporary folder once and needs its own flags
 * (single process, headless shell, software graphics) to run without system libraries.
 */
export async function findTestChromium(environment: NodeJS.ProcessEnv = process.env): Promise<TestChromium> {
  const chosen = environment.CHROMIUM_PATH;
  if (chosen !== undefined && chosen !== '') {
    if (!existsSync(chosen))
      throw new Error(`CHROMIUM_PATH is ${chosen}, which does not exist; unset it to use Debian's or the packaged Chromium.`);
    return { executablePath: chosen, args: [], origin: 'CHROMIUM_PATH' };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: [], origin: "Debian's chromium" };
  return { executablePath: await packagedChromium.executablePath(), args: packagedChromium.args, origin: '@sparticuz/chromium' };
}
