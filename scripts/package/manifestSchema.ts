import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';

/** Where `@microsoft/app-manifest` keeps Microsoft's published Teams manifest schemas, one folder per version. */
const SCHEMAS = join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');

/**
 * What the official JSON schema of the manifest version the manifest declares finds wrong with
 * it, one line per problem (none when it is valid). The schema is read from the installed
 * package, so packaging needs no network.
 */
export async function manifestSchemaProblems(manifest: { manifestVersion?: unknown }): Promise<string[]> {
  const version = String(manifest.manifestVersion ?? '');
  const file = join(SCHEMAS, `v${version}`, 'MicrosoftTeams.schema.json');
  if (!/^\d+\.\d+$/.test(version) || !existsSync(file)) {
    return [`manifestVersion "${version}" has no published schema in @microsoft/app-manifest; use a released version such as 1.22.`];
  }
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  const problems = await AppManifestUtils.validateAgainstSchema(manifest as never, schema);
  return problems.map((problem) => `manifest ${problem}`);
}
