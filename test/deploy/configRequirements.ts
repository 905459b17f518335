import { ConfigError, loadConfig } from '../../src/config';

export type Environment = Record<string, string>;

/**
 * The settings src/config.ts will not start without, given a complete working environment:
 * those whose removal makes loadConfig fail. Derived from the schema, so a rule added there
 * is checked here without a list to keep in step.
 */
export function requiredSettings(working: Environment): string[] {
  loadConfig(working);
  return Object.keys(working).filter((name) => {
    const { [name]: _removed, ...without } = working;
    try {
      loadConfig(without);
      return false;
    } catch (error) {
      if (error instanceof ConfigError) return true;
      throw error;
    }
  });
}

/**
 * Whether src/config.ts reads a variable of this name. The schema drops names it does not know,
 * so a name it keeps, or whose probe value breaks a working environment, is one it reads.
 */
export function isBotSetting(name: string, working: Environment): boolean {
  try {
    return name in loadConfig({ ...working, [name]: working[name] ?? 'probe' });
  } catch (error) {
    if (error instanceof ConfigError) return true;
    throw error;
  }
}
