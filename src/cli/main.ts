#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { type Command, parseCommandLine, USAGE } from './commandLine';
import { UnsupportedPatternError } from '../rules';
import { openConfiguredStore, StoreUnreadableError } from './exportStore';
import { exportRequests } from './requestsExport';
import { checkRules } from './rulesCheck';
import { DirectoryFileError, matchRule, readDirectory } from './rulesMatch';
import { UsageError } from './usageError';

/** `entra-group-rules`: check membership rules, try them against a directory export, export the requests. */

const EXIT_VALID = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;
const EXIT_STORE_UNREADABLE = 3;

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function writeLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

async function run(command: Command): Promise<number> {
  switch (command.name) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return EXIT_VALID;
    case 'check': {
      const result = checkRules(await readStandardInput(), command.kind);
      writeLines(result.lines);
      return result.allValid ? EXIT_VALID : EXIT_INVALID;
    }
    case 'match': {
      let text: string;
      try {
        text = readFileSync(command.directory, 'utf8');
      } catch (error) {
        throw new DirectoryFileError(`Cannot read ${command.directory}: ${(error as Error).message}`);
      }
      const objects = readDirectory(text, command.directory);
      const rule = (await readStandardInput()).trim();
      const result = matchRule(rule, objects, command.kind, command.now);
      if (!result.valid) {
        process.stderr.write(`The rule is not valid:\n${result.errorLines.join('\n')}\n`);
        return EXIT_INVALID;
      }
      writeLines(result.ids);
      return EXIT_VALID;
    }
    case 'export':
      return runExport(command);
  }
}

async function runExport(command: Extract<Command, { name: 'export' }>): Promise<number> {
  const { store, description } = await openConfiguredStore(process.env);
  try {
    const count = await exportRequests(store, process.stdout, command);
    process.stderr.write(`Exported ${count} request${count === 1 ? '' : 's'} from ${description}.\n`);
    return EXIT_VALID;
  } catch (error) {
    // The reader stopped reading (`| head`): what it wanted was written.
    if ((error as { code?: unknown }).code === 'EPIPE') return EXIT_VALID;
    throw new StoreUnreadableError(`The export stopped: ${(error as Error).message}`);
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  try {
    process.exitCode = await run(parseCommandLine(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof DirectoryFileError || error instanceof UnsupportedPatternError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof StoreUnreadableError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = EXIT_STORE_UNREADABLE;
    } else {
      throw error;
    }
  }
}

void main();
