import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseEnvFile, placeholders } from './envFile';

/**
 * The Microsoft 365 Agents Toolkit project files, checked as the toolkit reads them.
 *
 * schemas/m365agents.v1.13.yaml.schema.json is the toolkit's own published schema for project
 * files of version v1.13, as shipped in `@microsoft/teamsfx-core` 3.1.3 (the toolkit CLI's
 * engine) at resource/yaml-schema/v1.13/yaml.schema.json; that package is too large to install
 * for one file, so the file is kept here unchanged.
 */

const root = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(__dirname, 'schemas', 'm365agents.v1.13.yaml.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const PROJECT_FILES = ['m365agents.yml', 'm365agents.local.yml'].filter((file) => existsSync(join(root, file)));

interface Step {
  uses: string;
  with: Record<string, unknown>;
}

const project = (file: string) => parse(readFileSync(join(root, file), 'utf8')) as { version: string; provision: Step[]; deploy: Step[] };
const main = project('m365agents.yml');
const stepOf = (steps: Step[], uses: string) => steps.find((step) => step.uses === uses);

describe.each(PROJECT_FILES)('%s', (file) => {
  const text = readFileSync(join(root, file), 'utf8');

  it('is valid against the toolkit schema of the version it declares, which its $schema comment names', () => {
    const parsed = parse(text);
    expect(parsed.version).toBe(schema.properties.version.const);
    expect(text).toContain(`$schema=https://aka.ms/m365-agents-toolkits/${parsed.version}/yaml.schema.json`);
    validate(parsed);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('uses only ${{VARIABLES}} that env/.env.dev.sample sets or documents', () => {
    const sample = parseEnvFile(readFileSync(join(root, 'env', '.env.dev.sample'), 'utf8'));
    const known = new Set([...sample.values.keys(), ...sample.documented]);
    expect([...placeholders(text)].filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('the schema check', () => {
  it('would catch a misspelt step or a missing required field', () => {
    const broken = structuredClone(main);
    (broken.provision[1].with as Record<string, unknown>).resourceGroup = 'typo';
    delete broken.deploy[0].with.resourceId;
    expect(validate(broken)).toBe(false);
  });
});

describe('what the steps do', () => {
  it('provisions with infra/main.bicep and its parameters file, which exist', () => {
    const templates = stepOf(main.provision, 'arm/deploy')?.with.templates as { path: string; parameters: string }[];
    expect(templates.map((t) => [t.path, t.parameters])).toEqual([['./infra/main.bicep', './infra/main.parameters.json']]);
    for (const template of templates) {
      expect(existsSync(join(root, template.path))).toBe(true);
      expect(existsSync(join(root, template.parameters))).toBe(true);
    }
  });

  it('builds the package with npm run package and hands the toolkit the zip it writes', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.package).toBeDefined();
    expect(stepOf(main.provision, 'cli/runNpmCommand')?.with.args).toBe('run package -- --env ${{TEAMSFX_ENV}}');
    for (const uses of ['teamsApp/validateAppPackage', 'teamsApp/update']) {
      expect(stepOf(main.provision, uses)?.with.appPackagePath).toBe('./appPackage/build/appPackage.${{TEAMSFX_ENV}}.zip');
    }
  });

  it('deploys to the web app whose id the Bicep file outputs', () => {
    const bicep = readFileSync(join(root, 'infra', 'main.bicep'), 'utf8');
    const resourceId = String(stepOf(main.deploy, 'azureAppService/zipDeploy')?.with.resourceId);
    const output = resourceId.match(/^\$\{\{(\w+)\}\}$/)?.[1];
    expect(bicep).toMatch(new RegExp(`^output ${output} string = webApp\\.id$`, 'm'));
    expect(existsSync(join(root, String(stepOf(main.deploy, 'azureAppService/zipDeploy')?.with.ignoreFile)))).toBe(true);
  });
});
