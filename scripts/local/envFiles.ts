import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** The settings of env/.env.<name> and then env/.env.<name>.user (secrets, git-ignored); later files win. */
export function readEnvFiles(folder: string, name: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const file of [`${folder}/.env.${name}`, `${folder}/.env.${name}.user`]) {
    if (!existsSync(file)) continue;
    for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
      if (value !== undefined) settings[key] = value;
    }
  }
  return settings;
}
