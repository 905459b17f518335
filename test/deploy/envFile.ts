export { placeholders } from '../../scripts/package/placeholders';

/** An env/.env.* file: the variables it sets, and those it only documents as `# NAME=` (secrets kept elsewhere). */
export interface EnvFile {
  values: Map<string, string>;
  documented: Set<string>;
}

const ASSIGNMENT = /^([A-Z][A-Z0-9_]*)=(.*)$/;
const DOCUMENTED = /^#\s*([A-Z][A-Z0-9_]*)=/;

/** Dotenv lines as the Agents Toolkit reads them: NAME=value, optionally in double quotes, # for comments. */
export function parseEnvFile(text: string): EnvFile {
  const values = new Map<string, string>();
  const documented = new Set<string>();
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    const assignment = line.match(ASSIGNMENT);
    if (assignment) {
      values.set(assignment[1], assignment[2].replace(/^"(.*)"$/, '$1'));
      continue;
    }
    const mention = line.match(DOCUMENTED);
    if (mention) documented.add(mention[1]);
  }
  return { values, documented };
}
