import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipEntries } from './zipEntries';

/**
 * `npm run package`, run as an operator runs it, in a project folder holding the repository's
 * appPackage/ and an env file of the operator's.
 */

const root = join(__dirname, '..', '..');
const TSX = join(root, 'node_modules', '.bin', 'tsx');
const COMMAND = join(root, 'scripts', 'package', 'main.ts');

const TEAMS_APP_ID = '2b7c9e14-5a3d-4f6e-9c8b-1d2e3f4a5b6c';
const BOT_ID = '5d7e2f40-1c3b-4e8a-b0f6-9a2c4d6e8f10';
const BOT_DOMAIN = 'grouprequests-abc123.azurewebsites.net';

/** What an operator's env/.env.ci holds once the deployment's outputs are copied in. */
const OPERATORS_SETTINGS: Record<string, string> = {
  TEAMS_APP_ID,
  BOT_ID,
  BOT_DOMAIN,
  APP_DEVELOPER_NAME: '"Contoso IT"',
  APP_WEBSITE_URL: 'https://intranet.contoso.com/it/group-requests',
  APP_PRIVACY_URL: 'https://intranet.contoso.com/privacy',
  APP_TERMS_OF_USE_URL: 'https://intranet.contoso.com/terms-of-use',
  GRAPH_AUTH_MODE: 'delegated',
};

let project: string;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'app-package-'));
  mkdirSync(join(project, 'appPackage'));
  mkdirSync(join(project, 'env'));
  for (const file of ['manifest.json', 'color.png', 'outline.png'])
    copyFileSync(join(root, 'appPackage', file), join(project, 'appPackage', file));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

function packageWith(settings: Record<string, string>) {
  writeFileSync(
    join(project, 'env', '.env.ci'),
    Object.entries(settings)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
  );
  const run = spawnSync(TSX, [COMMAND, '--env', 'ci'], { cwd: project, encoding: 'utf8' });
  const zipPath = join(project, 'appPackage', 'build', 'appPackage.ci.zip');
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, zipPath, built: existsSync(zipPath) };
}

it('builds appPackage/build/appPackage.<env>.zip: the filled manifest and both icons at the root', () => {
  const run = packageWith(OPERATORS_SETTINGS);
  expect({ status: run.status, stderr: run.stderr, stdout: run.stdout.trim() }).toEqual({
    status: 0,
    stderr: '',
    stdout: 'appPackage/build/appPackage.ci.zip',
  });
  const entries = zipEntries(readFileSync(run.zipPath));
  expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  expect(entries.get('color.png')).toEqual(readFileSync(join(root, 'appPackage', 'color.png')));
  expect(entries.get('outline.png')).toEqual(readFileSync(join(root, 'appPackage', 'outline.png')));
  const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
  expect(manifest).toMatchObject({
    id: TEAMS_APP_ID,
    developer: { name: 'Contoso IT', privacyUrl: OPERATORS_SETTINGS.APP_PRIVACY_URL },
    bots: [{ botId: BOT_ID }],
    validDomains: [BOT_DOMAIN, 'token.botframework.com'],
    webApplicationInfo: { id: BOT_ID, resource: `api://${BOT_DOMAIN}/botid-${BOT_ID}` },
  });
  expect(JSON.stringify(manifest)).not.toContain('${{');
});

it('leaves out webApplicationInfo in app-only mode, where nobody is signed in', () => {
  const run = packageWith({ ...OPERATORS_SETTINGS, GRAPH_AUTH_MODE: 'app' });
  expect(run.status).toBe(0);
  const manifest = JSON.parse(zipEntries(readFileSync(run.zipPath)).get('manifest.json')!.toString('utf8'));
  expect(manifest).not.toHaveProperty('webApplicationInfo');
  expect(manifest.bots[0].botId).toBe(BOT_ID);
});

it('names every setting the manifest needs and the env file lacks, and builds nothing', () => {
  const run = packageWith({ ...OPERATORS_SETTINGS, TEAMS_APP_ID: '', BOT_DOMAIN: '' });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('TEAMS_APP_ID has no value in env/.env.ci');
  expect(run.stderr).toContain('BOT_DOMAIN has no value in env/.env.ci');
  expect(run.built).toBe(false);
});

it('refuses a manifest the official schema of its version refuses, saying where', () => {
  const run = packageWith({ ...OPERATORS_SETTINGS, APP_WEBSITE_URL: 'intranet.contoso.com', TEAMS_APP_ID: 'my-app' });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/manifest \/developer\/websiteUrl must match pattern/);
  expect(run.stderr).toMatch(/manifest \/id must match pattern/);
  expect(run.built).toBe(false);
});

it('refuses icons Teams would refuse: an outline that is not 32x32 white on transparent', () => {
  copyFileSync(join(root, 'appPackage', 'color.png'), join(project, 'appPackage', 'outline.png'));
  const run = packageWith(OPERATORS_SETTINGS);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('the outline icon must be 32x32 pixels, not 192x192');
  expect(run.built).toBe(false);
});
