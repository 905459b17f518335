import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The bot's own process refuses to start on a wrong approval policy, saying which route and field. */

const ROOT = join(__dirname, '../..');

it('stops the bot at start with a message naming the route and the field, before it listens', () => {
  const folder = mkdtempSync(join(tmpdir(), 'policy-at-start-'));
  try {
    const file = join(folder, 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        routes: [{ name: 'Autopilot devices', match: { kinds: ['autopilotDevices'] }, stages: [{ approversGroupId: 'Intune admins' }] }],
      }),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        TENANT_ID: '3f1c2b4a-6d5e-4c7b-9a8f-0e1d2c3b4a59',
        APPROVERS_GROUP_ID: '0c4d9a58-3b7e-4f21-9d1a-6e2f8b3c5a77',
        GRAPH_AUTH_MODE: 'app',
        PORT: '0',
        SQLITE_PATH: join(folder, 'requests.db'),
        APPROVAL_POLICY_FILE: file,
      },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `APPROVAL_POLICY_FILE ${file}: route "Autopilot devices" (routes[0]): stages[0].approversGroupId must be a group object id (a GUID)`,
    );
    expect(run.stdout).not.toContain('bot listening');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
