import { join } from 'node:path';
import { readEnvFiles } from './envFiles';
import { startLocalStack } from './localStack';

/**
 * `npm start`: the product on this machine, with no tenant and no internet. Ctrl+C stops it all.
 * Settings in env/.env.local (and env/.env.local.user) change the bot's; see that file.
 */
const ROOT = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const settings = readEnvFiles(join(ROOT, 'env'), 'local');
  const stack = await startLocalStack({
    dataFolder: join(ROOT, '.data', 'local'),
    ports: { bot: Number(settings.PORT ?? 3978), requester: 56150, approver: 56151 },
    botSettings: settings,
  });
  const { requester, approver, approvalsChannel, directory, bot } = stack;
  process.stdout.write(
    [
      '',
      'Entra Group Requests is running on 127.0.0.1. Open in a browser:',
      '',
      `  ${requester.url}   Agents Playground as ${requester.currentUser.name}, the requester:`,
      '      open "Personal Chat" and say "new group".',
      `  ${approver.url}   Agents Playground as ${approver.currentUser.name}, an approver:`,
      `      open "${approvalsChannel.teamName} - ${approvalsChannel.name}"; approval cards arrive there.`,
      '',
      `  bot              ${bot.endpoint} (log: ${bot.logFile})`,
      `  Graph emulator   ${directory.graph.url}  (groups created: ${directory.graph.url}/_emulator/groups)`,
      `  token authority  ${directory.tokens.authorityHost}`,
      `  token service    ${directory.botTokens.url}  (Bot Framework, OAuth connection local)`,
      '',
      'Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the Playgrounds, the bot and the directory...\n`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`The local run could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
