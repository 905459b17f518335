import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvFiles } from '../local/envFiles';
import { colorIconProblems, outlineIconProblems } from './iconChecks';
import { manifestSchemaProblems } from './manifestSchema';
import { fillPlaceholders } from './placeholders';
import { zipArchive } from './zipArchive';

/** Everything that keeps a package from being built, each line naming what to fix. */
export class AppPackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`The Teams app package was not built:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'AppPackageError';
  }
}

export interface BuiltAppPackage {
  zipPath: string;
  manifestPath: string;
  manifest: Record<string, unknown>;
}

/**
 * Builds appPackage/build/appPackage.<env>.zip under `root` as the Agents Toolkit's zip-package
 * step does: appPackage/manifest.json with its `${{NAME}}` placeholders filled from env/.env.<env>
 * (then .env.<env>.user), and both icons. Before writing anything it checks the filled manifest
 * against the official schema of its manifestVersion, and the icons against Teams' rules.
 * In app-only mode (GRAPH_AUTH_MODE=app) the bot never signs anyone in, so the package declares
 * no `webApplicationInfo`: no SSO resource is left pointing at an app registration that may not exist.
 */
export async function buildAppPackage(root: string, environment: string): Promise<BuiltAppPackage> {
  const source = join(root, 'appPackage');
  const settings = readEnvFiles(join(root, 'env'), environment);
  if (Object.keys(settings).length === 0)
    throw new AppPackageError([`env/.env.${environment} is missing or empty; copy env/.env.dev.sample to start it.`]);

  const filled = fillPlaceholders(readFileSync(join(source, 'manifest.json'), 'utf8'), settings);
  const problems = filled.missing.map((name) => `${name} has no value in env/.env.${environment} (the manifest uses \${{${name}}})`);
  if (problems.length > 0) throw new AppPackageError(problems);

  const manifest = JSON.parse(filled.text) as Record<string, unknown>;
  if (settings.GRAPH_AUTH_MODE === 'app') delete manifest.webApplicationInfo;
  const icons = manifest.icons as { color: string; outline: string };
  const color = readFileSync(join(source, icons.color));
  const outline = readFileSync(join(source, icons.outline));
  problems.push(...(await manifestSchemaProblems(manifest)), ...colorIconProblems(color), ...outlineIconProblems(outline));
  if (problems.length > 0) throw new AppPackageError(problems);

  const build = join(source, 'build');
  mkdirSync(build, { recursive: true });
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestPath = join(build, `manifest.${environment}.json`);
  const zipPath = join(build, `appPackage.${environment}.zip`);
  writeFileSync(manifestPath, manifestText);
  writeFileSync(
    zipPath,
    zipArchive([
      { name: 'manifest.json', content: Buffer.from(manifestText) },
      { name: icons.color, content: color },
      { name: icons.outline, content: outline },
    ]),
  );
  return { zipPath, manifestPath, manifest };
}
