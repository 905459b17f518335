import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
const USERS = join(ROOT, 'test/fixtures/rules/users.json');
const DEVICES = join(ROOT, 'test/fixtures/rules/devices.json');

/** Runs the real command line program, from its TypeScript source, as `npm run cli` does. */
function cli(args: string[], input = ''): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, input, encoding: 'utf8' });
}

function jsonLines(stdout: string): unknown[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('entra-group-rules rules check', () => {
  it('prints one JSON object per rule, formatted when valid, located errors when not, and exits 1', () => {
    const input = ['user.department -eq "Sales"', '', 'user.departmnt -eq "Sales"', '(user.accountEnabled -contains true)', ''].join('\n');
    const run = cli(['rules', 'check'], input);
    expect(run.status).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([
      { rule: 'user.department -eq "Sales"', valid: true, errors: [], formatted: 'user.department -eq "Sales"' },
      {
        rule: 'user.departmnt -eq "Sales"',
        valid: false,
        errors: [
          {
            message: 'departmnt is not a user property that rules can use. Did you mean user.department?',
            offset: 0,
            length: 14,
            suggestion: 'user.department',
          },
        ],
      },
      {
        rule: '(user.accountEnabled -contains true)',
        valid: false,
        errors: [
          {
            message: 'The -contains operator cannot be used with user.accountEnabled, which holds true or false; use -eq or -ne.',
            offset: 21,
            length: 9,
          },
        ],
      },
    ]);
    expect(run.stderr).toBe('');
  });

  it('exits 0 when every rule is valid, printing canonical text, with Windows line ends too', () => {
    const run = cli(['rules', 'check'], 'user.mail –ne null\r\n(device.deviceOSType -eq "iPad") -or (device.deviceOSType -eq "iOS")\r\n');
    expect(run.status).toBe(0);
    expect(jsonLines(run.stdout).map((line) => (line as { formatted: string }).formatted)).toEqual([
      'user.mail -ne null',
      'device.deviceOSType -eq "iPad" -or device.deviceOSType -eq "iOS"',
    ]);
  });

  it('checks every rule against the kind given', () => {
    const run = cli(['rules', 'check', '--kind', 'device'], 'user.department -eq "Sales"\n');
    expect(run.status).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([
      expect.objectContaining({
        valid: false,
        errors: [expect.objectContaining({ message: expect.stringContaining('cannot be mixed'), offset: 0, length: 15 })],
      }),
    ]);
  });
});

describe('entra-group-rules rules match', () => {
  it('prints the ids of the users in a Graph page that match', () => {
    const run = cli(
      ['rules', 'match', '--kind', 'user', '--directory', USERS],
      'user.department -eq "sales" -and user.accountEnabled -eq true\n',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('7d1a2b3c-0001-4000-8000-000000000001\n');
  });

  it('reads a rule written over several lines', () => {
    const rule =
      '(user.userType -eq "Member") -and\n(user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled"))\n';
    const run = cli(['rules', 'match', '--directory', USERS], rule);
    expect(run.stdout).toBe('7d1a2b3c-0001-4000-8000-000000000001\n');
  });

  it('prints the ids of Autopilot devices from a JSON array of Graph devices', () => {
    const run = cli(
      ['rules', 'match', '--kind', 'device', `--directory=${DEVICES}`],
      'device.devicePhysicalIDs -any _ -startsWith "[ZTDId]"',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('5e6f7a8b-0001-4000-8000-000000000001\n');
  });

  it('prints nothing and exits 0 when no object matches', () => {
    const run = cli(['rules', 'match', '--kind', 'user', '--directory', USERS], 'user.department -eq "Legal"');
    expect([run.status, run.stdout]).toEqual([0, '']);
  });

  it('explains an invalid rule on stderr and exits 1', () => {
    const run = cli(['rules', 'match', '--kind', 'device', '--directory', DEVICES], 'user.department -eq "Sales"');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('offset 0, length 15: This is a device rule');
  });

  it('evaluates system.now at the moment given', () => {
    const hiredSinceYesterday = 'user.employeeHireDate -ge system.now -minus p1d';
    const newYear = cli(['rules', 'match', '--directory', USERS, '--now', '2020-01-01T00:00:00Z'], hiredSinceYesterday);
    expect([newYear.status, newYear.stdout]).toEqual([0, '7d1a2b3c-0001-4000-8000-000000000001\n']);
    const december = cli(['rules', 'match', '--directory', USERS, '--now', '2019-12-02T00:00:00Z'], hiredSinceYesterday);
    expect(december.stdout).toBe('7d1a2b3c-0001-4000-8000-000000000001\n7d1a2b3c-0002-4000-8000-000000000002\n');
  });
});

describe('misuse', () => {
  it.each([
    [['rules'], 'check or match'],
    [['groups', 'check'], 'Unknown command "groups"'],
    [['rules', 'lint'], 'Unknown rules command "lint"'],
    [['rules', 'check', '--kind', 'robot'], '--kind is user or device'],
    [['rules', 'check', '--directory', USERS], 'Unknown option "--directory"'],
    [['rules', 'check', '--kind'], '--kind needs a value'],
    [['rules', 'match', '--kind', 'user'], 'needs --directory'],
    [['rules', 'match', '--directory', USERS, '--now', 'soon'], '--now needs a date'],
  ])('%j exits 2 with the problem and the usage on stderr', (args, problem) => {
    const run = cli(args, '');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(problem);
    expect(run.stderr).toContain('Usage:');
  });

  it('exits 2 when the directory file is missing or not a directory export', () => {
    const missing = cli(['rules', 'match', '--directory', join(ROOT, 'no-such-file.json')], 'user.objectId -ne null');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Cannot read');
    const wrongShape = cli(['rules', 'match', '--directory', join(ROOT, 'package.json')], 'user.objectId -ne null');
    expect(wrongShape.status).toBe(2);
    expect(wrongShape.stderr).toContain('must hold a JSON array of users or devices');
  });

  it('prints the usage on stdout for --help', () => {
    const run = cli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('entra-group-rules rules check');
  });
});

describe('the compiled program', () => {
  let outDir: string;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'rules-cli-'));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const build = spawnSync(
      process.execPath,
      [
        tsc,
        '--outDir',
        outDir,
        '--rootDir',
        ROOT,
        '--module',
        'commonjs',
        '--target',
        'ES2022',
        '--strict',
        '--esModuleInterop',
        '--skipLibCheck',
        '--types',
        'node',
        MAIN,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`tsc failed:\n${build.stdout}${build.stderr}`);
    // Installed, the program finds its runtime dependencies (re2js) in the package's node_modules.
    symlinkSync(join(ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  });

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs as an executable through its shebang line, as the package bin does', () => {
    const program = join(outDir, 'src/cli/main.js');
    chmodSync(program, 0o755);
    const run = spawnSync(program, ['rules', 'check'], { input: 'device.deviceOwnership -eq "Company"\n', encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([
      { rule: 'device.deviceOwnership -eq "Company"', valid: true, errors: [], formatted: 'device.deviceOwnership -eq "Company"' },
    ]);
  });
});
