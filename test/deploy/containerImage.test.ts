import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Dockerfile read as Docker reads it, without building anything: stages and their instructions. */

const root = join(__dirname, '..', '..');
const text = (path: string) => readFileSync(join(root, path), 'utf8');

interface Instruction {
  keyword: string;
  argument: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

function readStages(dockerfile: string): Stage[] {
  const lines = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [from, as, name] = rest;
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      stages[stages.length - 1].instructions.push({ keyword: keyword.toUpperCase(), argument });
    }
  }
  return stages;
}

const stages = readStages(text('Dockerfile'));
const runtime = stages[stages.length - 1];
const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.argument);
/** The exec form `["node", "x.js"]` as the command line a person types. */
const commandLine = (execForm: string) => (JSON.parse(execForm) as string[]).join(' ');
/** The stage a `COPY --from=<stage> <path>` of the runtime image takes `path` from. */
const stageCopiedFrom = (path: string) => {
  const copy = all(runtime, 'COPY').find((argument) => argument.includes(`/app/${path} `));
  return stages.find((stage) => stage.name === copy?.match(/--from=(\S+)/)?.[1]);
};

/** README: "In production the bot runs as `npm run build && node dist/src/index.js`". */
const productionCommand = text('README.md').match(/In production the bot runs as\s+`npm run build && ([^`]+)`/)?.[1];

describe('the container image', () => {
  it('starts the bot with the README production command, as the App Service does', () => {
    expect(productionCommand).toBe('node dist/src/index.js');
    expect(all(runtime, 'CMD').map(commandLine)).toEqual([productionCommand]);
    expect(text('infra/main.bicep')).toContain(`appCommandLine: '${productionCommand}'`);
  });

  it('runs on Node 20, as an unprivileged user, in production mode', () => {
    for (const stage of stages) expect(stage.from).toMatch(/^node:20(-|$)/);
    const user = all(runtime, 'USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(all(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('carries only production dependencies, and a dist/ built in a stage that had the others', () => {
    const dependencies = stageCopiedFrom('node_modules');
    expect(all(dependencies!, 'RUN').join('\n')).toMatch(/npm ci --omit=dev/);
    const build = stageCopiedFrom('dist/src');
    const buildSteps = all(build!, 'RUN');
    expect(buildSteps.join('\n')).toMatch(/npm ci(?! --omit)/);
    expect(buildSteps[buildSteps.length - 1]).toBe('npm run build');
    expect(all(runtime, 'RUN').join('\n')).not.toMatch(/npm (ci|install)(?! --omit=dev)/);
  });

  it('ships the card templates the bot reads at run time, and answers a health check on /healthz', () => {
    expect(all(runtime, 'COPY')).toContain('adaptiveCards ./adaptiveCards');
    expect(all(runtime, 'HEALTHCHECK').join(' ')).toMatch(/\/healthz/);
  });

  it('is told where to listen and which store to share: every interface, port 8080, Azure Tables', () => {
    const environment = all(runtime, 'ENV').join(' ');
    for (const setting of ['HOST=0.0.0.0', 'PORT=8080', 'STORE=azureTables']) expect(environment).toContain(setting);
    expect(all(runtime, 'EXPOSE')).toEqual(['8080']);
  });
});
