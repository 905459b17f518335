/**
 * The web app's settings in infra/main.bicep, read from its `var <name> = [ { name: 'X', value: … } ]`
 * blocks; the test also checks that the web app concatenates exactly these blocks.
 */
export function appSettingNames(bicep: string, block: string): string[] {
  const start = bicep.match(new RegExp(`^var ${block} = [^\\n]*\\[\\s*$`, 'm'));
  if (!start || start.index === undefined) throw new Error(`infra/main.bicep has no "var ${block} = [" block`);
  const body = bicep.slice(start.index + start[0].length);
  const end = body.search(/^\]/m);
  if (end < 0) throw new Error(`the ${block} block of infra/main.bicep is not closed`);
  return Array.from(body.slice(0, end).matchAll(/\{\s*name:\s*'([A-Z][A-Z0-9_]*)'/g), (m) => m[1]);
}
