import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { startBotServer } from './botServer';

/** Process entry: settings, the bot, and a shutdown that lets creations reach a safe point. */
/** A setting the bot cannot use stops it with the message naming it, not a stack. */
function stopOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    stopOnConfigError(error);
  }
  const log = pino({ level: config.LOG_LEVEL });
  // Background work logs its own failures; this is the last line, so one slip never stops the bot.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  const crashAt = config.CRASH_AT;
  const bot = await startBotServer(config, {
    log,
    checkpoint: crashAt
      ? (point) => {
          if (point !== crashAt) return;
          log.warn({ point }, 'stopping abruptly at the configured crash point');
          process.kill(process.pid, 'SIGKILL');
        }
      : undefined,
  }).catch(stopOnConfigError);
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await bot.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

void main();
