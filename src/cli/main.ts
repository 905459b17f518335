#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { type Command, parseCommandLine, USAGE, UsageError } from './commandLine';
import { UnsupportedPatternError } from '../rules';
import { checkRules } from './rulesCheck';
import { DirectoryFileError, matchRule, readDirectory } from './rulesMatch';

/** `entra-group-rules`: check membership rules and try them against a directory export. */

const EXIT_VALID = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

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
  }
}

async function main(): Promise<void> {
  try {
    process.exitCode = await run(parseCommandLine(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    } else if (error instanceof DirectoryFileError || error instanceof UnsupportedPatternError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      throw error;
    }
    process.exitCode = EXIT_USAGE;
  }
}

void main();
