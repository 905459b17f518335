import { relative } from 'node:path';
import { AppPackageError, buildAppPackage } from './appPackage';

/** `npm run package [-- --env <name>]`: the Teams app package of one environment (dev by default). */
async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--env');
  const environment = at >= 0 ? argv[at + 1] : 'dev';
  if (!environment || !/^[a-z0-9-]+$/i.test(environment)) {
    process.stderr.write('Usage: npm run package -- --env <name>   (reads env/.env.<name>)\n');
    return 2;
  }
  try {
    const built = await buildAppPackage(process.cwd(), environment);
    process.stdout.write(`${relative(process.cwd(), built.zipPath)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppPackageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
