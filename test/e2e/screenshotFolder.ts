import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Where the end-to-end test saves its screenshots: test-results/ (ignored by git), so `npm test`
 * leaves the working tree as it found it. `npm run screenshots` sets SCREENSHOTS=docs to refresh
 * the README's pictures on purpose.
 */
export function screenshotFolder(environment: NodeJS.ProcessEnv = process.env): string {
  return environment.SCREENSHOTS === 'docs' ? join(ROOT, 'docs') : join(ROOT, 'test-results', 'screenshots');
}
