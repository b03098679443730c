// Lints what users would install: packs every package (scripts/pack-packages.ts) and checks
// each tarball with the ecosystem's own tools.
//   node scripts/check-packages.ts publint   package.json fields, exports and files (publint)
//   node scripts/check-packages.ts attw      types resolve for every entry point (attw)
// Exits non-zero when any package fails; `npm test` counts each tool as one check.
//
// attw runs with its `esm-only` profile: the packages are ESM only, on purpose. The engine keeps
// plan internals in module state, so a second (CommonJS) copy of a package would not know the
// plans of the first; Node 22 `require()`s the ESM build, which the pack smoke test proves.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packPackage, publishablePackages } from './pack-packages.ts';

const require = createRequire(import.meta.url);

/** Lints one tarball with publint; warnings count as errors, suggestions are only shown. */
async function checkWithPublint(tarball: string): Promise<boolean> {
  const bytes = readFileSync(tarball);
  const tarballData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball: tarballData }, strict: true });
  for (const message of messages) {
    process.stdout.write(`  ${message.type}: ${formatMessage(message, pkg) ?? message.code}\n`);
  }
  return messages.every((message) => message.type === 'suggestion');
}

/** Checks one tarball's type resolution with the attw command. */
function checkWithAttw(tarball: string): boolean {
  const manifestPath = require.resolve('@arethetypeswrong/cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: { attw: string } };
  try {
    const output = execFileSync(
      process.execPath,
      [join(dirname(manifestPath), bin.attw), tarball, '--profile', 'esm-only', '--no-emoji'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
    );
    process.stdout.write(output);
    return true;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    process.stdout.write(`${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    return false;
  }
}

const tools: Record<string, (tarball: string) => boolean | Promise<boolean>> = {
  publint: checkWithPublint,
  attw: checkWithAttw,
};

const toolName = process.argv[2] ?? '';
const check = tools[toolName];
if (check === undefined) {
  process.stderr.write(`usage: node scripts/check-packages.ts <${Object.keys(tools).join('|')}>\n`);
  process.exit(2);
}

const destination = mkdtempSync(join(tmpdir(), 'hakoc-pack-check-'));
const failed: string[] = [];
try {
  for (const pkg of publishablePackages()) {
    process.stdout.write(`${toolName} ${pkg.manifest.name}\n`);
    const passed = await check(packPackage(pkg, destination));
    if (!passed) failed.push(pkg.manifest.name);
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}
process.stdout.write(
  failed.length === 0
    ? `${toolName}: every package passes\n`
    : `${toolName} failed: ${failed.join(', ')}\n`,
);
process.exit(failed.length === 0 ? 0 : 1);
