// The public API reports in api/: one api-extractor report per published entry point, made from
// the built `.d.ts` files exactly as users' compilers see them.
//   node scripts/api-report.ts           write the reports (`npm run api:report`)
//   node scripts/api-report.ts --check   fail when a report differs from the built API, or a
//                                        report has no entry point any more (`npm test` runs it)
// Build first (`npm run build`; `npm test` builds before it checks).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type ExtractorMessage,
} from '@microsoft/api-extractor';
import { publishablePackages, repositoryRoot, type WorkspacePackage } from './pack-packages.ts';

const reportFolder = join(repositoryRoot, 'api');
const check = process.argv.includes('--check');

/** One published entry point: `@hakoc/core/testing` → `dist/testing/index.d.ts`, report `core-testing`. */
interface EntryPoint {
  readonly pkg: WorkspacePackage;
  readonly specifier: string;
  readonly typesFile: string;
  readonly reportName: string;
}

function entryPoints(pkg: WorkspacePackage): EntryPoint[] {
  const exportsMap = pkg.manifest.publishConfig?.exports ?? {};
  return Object.entries(exportsMap).flatMap(([subpath, target]) => {
    // `./package.json` maps to a string; code entry points are condition objects with `types`.
    const types =
      typeof target === 'object' && target !== null ? Reflect.get(target, 'types') : undefined;
    if (typeof types !== 'string') return [];
    const suffix = subpath.replace(/^\.\/?/, '');
    return [
      {
        pkg,
        specifier: suffix === '' ? pkg.manifest.name : `${pkg.manifest.name}/${suffix}`,
        typesFile: join(pkg.dir, types),
        reportName: [pkg.folder, ...suffix.split('/').filter(Boolean)].join('-'),
      },
    ];
  });
}

/** The first lines of a unified diff from the checked-in report to the built API's. */
function reportDiff(checkedIn: string, built: string): string {
  const diff = spawnSync('git', ['diff', '--no-index', '--no-color', '-U1', checkedIn, built], {
    encoding: 'utf8',
  });
  const lines = diff.stdout.split('\n').slice(4);
  const shown = lines.slice(0, 60).join('\n');
  return lines.length > 60 ? `${shown}\n  … ${lines.length - 60} more lines` : shown;
}

/** Runs api-extractor on one entry point; returns whether its report is (now) current. */
function runExtractor(entry: EntryPoint, tempFolder: string): boolean {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: entry.pkg.dir,
      mainEntryPointFilePath: entry.typesFile,
      // A consumer's view: no workspace-only `@hakoc/source` condition, so imports of our other
      // packages resolve to their built declarations, as they do after `npm install`.
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2023',
            lib: ['ES2023'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.reportName,
        reportFolder,
        reportTempFolder: tempFolder,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // TypeDoc already requires and validates the TSDoc of every export (`npx typedoc`).
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        // Release tags (@public/@beta) are not used: everything exported is public.
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
          // TypeDoc checks {@link} targets across all packages; this resolver sees one entry point.
          'ae-unresolved-link': { logLevel: ExtractorLogLevel.None },
        },
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(entry.pkg.dir, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: !check,
    messageCallback: (message: ExtractorMessage) => {
      // api-extractor's own notice names a temporary file; the diff and the fix follow below.
      if (message.messageId === 'console-api-report-not-copied') message.handled = true;
    },
  });
  if (check && result.apiReportChanged) {
    process.stdout.write(
      `${entry.specifier}: the public API differs from api/${entry.reportName}.api.md\n` +
        `${reportDiff(config.reportFilePath, config.reportTempFilePath)}\n` +
        `  review the change, then run \`npm run api:report\` and commit the report\n`,
    );
    return false;
  }
  if (result.errorCount > 0) {
    process.stdout.write(
      `${entry.specifier}: api-extractor reported ${result.errorCount} errors\n`,
    );
    return false;
  }
  process.stdout.write(
    `${entry.specifier}: ${check ? 'report is current' : 'report written'} (api/${entry.reportName}.api.md)\n`,
  );
  return true;
}

const entries = publishablePackages().flatMap(entryPoints);
const expected = new Set(entries.map((entry) => `${entry.reportName}.api.md`));
const tempFolder = mkdtempSync(join(tmpdir(), 'hakoc-api-report-'));
let ok = true;
try {
  for (const entry of entries) ok = runExtractor(entry, tempFolder) && ok;
} finally {
  rmSync(tempFolder, { recursive: true, force: true });
}
for (const file of readdirSync(reportFolder).filter((name) => name.endsWith('.api.md'))) {
  if (expected.has(file)) continue;
  if (check) {
    process.stdout.write(`api/${file}: no published entry point has this report any more\n`);
    ok = false;
  } else {
    rmSync(join(reportFolder, file));
    process.stdout.write(`api/${file}: removed (its entry point is gone)\n`);
  }
}
process.exit(ok ? 0 : 1);
