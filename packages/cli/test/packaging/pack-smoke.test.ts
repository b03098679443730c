import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  npmInstall,
  packPackage,
  publishablePackages,
  repositoryRoot,
  scratchNpmEnv,
  workspaceDependencyVersions,
} from '../../../../scripts/pack-packages.ts';
import { entryPointExports, planExampleCluster } from './consumer/entry-points.mts';

// The packages as users get them: packed with pnpm (publishConfig applied), installed with plain
// npm into a project in the system's temp folder, far from the workspace and its node_modules.
// Reads the build (`npm test` builds first). The first install fetches third-party packages from
// the registry; later ones come from npm's cache (--prefer-offline).

const packages = publishablePackages();
const consumerDir = join(import.meta.dirname, 'consumer');
const exampleSpec = join(repositoryRoot, 'examples', 'gce.yaml');
const cloudSdk =
  /^(@google-cloud\/|@googleapis\/|googleapis$|google-gax$|google-auth-library$|gcp-metadata$|gaxios$|@aws-sdk\/|aws-sdk$|@azure\/)/;

let work = '';
let project = '';

function runIn(
  cwd: string,
  command: string,
  args: readonly string[],
  timeout = 120_000,
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: scratchNpmEnv(), encoding: 'utf8', timeout });
}

function describeRun(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status} ${result.signal ?? ''}\n${result.stdout}\n${result.stderr}`;
}

function rootVersion(name: string): string {
  const manifest = join(repositoryRoot, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hakoc-pack-smoke-'));
  const tarballs = join(work, 'tarballs');
  project = join(work, 'project');
  mkdirSync(tarballs);
  mkdirSync(project);
  const dependencies: Record<string, string> = {
    // The contract suite's optional peer, so every entry point can load; types for the consumer.
    vitest: rootVersion('vitest'),
    '@types/node': rootVersion('@types/node'),
  };
  for (const pkg of packages)
    dependencies[pkg.manifest.name] = `file:${packPackage(pkg, tarballs)}`;
  const manifest = {
    name: 'hakoc-pack-smoke',
    private: true,
    dependencies,
    // Third-party versions as the workspace tested them, so this run is deterministic.
    overrides: workspaceDependencyVersions(packages),
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of readdirSync(consumerDir)) {
    copyFileSync(join(consumerDir, file), join(project, file));
  }
  copyFileSync(exampleSpec, join(project, 'gce.yaml'));
  // Throws with npm's output when the install fails.
  npmInstall(project, 420_000);
}, 480_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the packed packages, installed with npm outside the workspace', () => {
  it('import every entry point from ESM and plan the example cluster as the workspace does', async () => {
    const run = runIn(project, process.execPath, ['plan-example.mts', 'gce.yaml']);
    expect(run.status, describeRun(run)).toBe(0);
    const installed = JSON.parse(run.stdout) as {
      exports: Record<string, string[]>;
      plan: Awaited<ReturnType<typeof planExampleCluster>>;
    };
    // The same program on the workspace sources: what the tarballs ship behaves like them.
    // (A difference can also mean a build older than the sources: `npm run build`.)
    expect(installed.exports).toEqual(entryPointExports());
    expect(installed.plan).toEqual(await planExampleCluster(exampleSpec));
    expect(installed.plan.summary.create).toBe(installed.plan.steps.length);
    expect(installed.plan.steps).toContain('create gce.network/demo-network');
  }, 150_000);

  it('require() every entry point from CommonJS', () => {
    const run = runIn(project, process.execPath, ['require-entry-points.cjs']);
    expect(run.status, describeRun(run)).toBe(0);
    const required = JSON.parse(run.stdout) as {
      exports: Record<string, string[]>;
      ownerLabels: Record<string, string>;
      crossPackageError: boolean;
    };
    expect(required.exports).toEqual(entryPointExports());
    expect(Object.values(required.ownerLabels)).toContain('smoke');
    expect(required.crossPackageError).toBe(true);
  }, 150_000);

  it.each([
    // node16 also checks every shipped .d.ts itself (skipLibCheck off).
    { resolution: 'node16', module: 'node16', skipLibCheck: false },
    { resolution: 'bundler', module: 'preserve', skipLibCheck: true },
  ])(
    'type-check a TypeScript consumer with moduleResolution $resolution',
    (settings) => {
      const tsconfig = `tsconfig.${settings.resolution}.json`;
      const compilerOptions = {
        target: 'ES2023',
        lib: ['ES2023'],
        module: settings.module,
        moduleResolution: settings.resolution,
        types: ['node'],
        strict: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        skipLibCheck: settings.skipLibCheck,
      };
      const files = ['plan-example.mts', 'entry-points.mts', 'types-probe.mts'];
      writeFileSync(join(project, tsconfig), JSON.stringify({ compilerOptions, files }, null, 2));
      // The workspace's compiler; everything it type-checks against comes from the project.
      const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      const run = runIn(project, process.execPath, [tsc, '-p', tsconfig], 180_000);
      expect(run.status, describeRun(run)).toBe(0);
    },
    200_000,
  );

  it('run the hakoc and hakoc-gce-emulator bins from node_modules/.bin', () => {
    const hakoc = join(project, 'node_modules', '.bin', 'hakoc');
    const version = runIn(project, hakoc, ['--version']);
    expect(version.status, describeRun(version)).toBe(0);
    const cli = packages.find((pkg) => pkg.manifest.name === '@hakoc/cli');
    expect(version.stdout.trim()).toBe(cli?.manifest.version);

    const valid = runIn(project, hakoc, ['validate', 'gce.yaml']);
    expect(valid.status, describeRun(valid)).toBe(0);
    const spec = readFileSync(exampleSpec, 'utf8');
    writeFileSync(join(project, 'misspelt.yaml'), spec.replace('  domain: ', '  domian: '));
    const invalid = runIn(project, hakoc, ['validate', 'misspelt.yaml']);
    expect(invalid.status, describeRun(invalid)).toBe(1);
    expect(invalid.stderr).toContain('unknown field "domian"');

    const emulator = runIn(project, join(project, 'node_modules', '.bin', 'hakoc-gce-emulator'), [
      '--help',
    ]);
    expect(emulator.status, describeRun(emulator)).toBe(0);
    expect(emulator.stdout).toMatch(/^Usage: hakoc-gce-emulator/);
  }, 150_000);

  it('keep @hakoc/core and @hakoc/certs free of cloud SDKs (npm query over the installed tree)', () => {
    const descendants = (name: string) => {
      const run = runIn(project, 'npm', ['query', `#${name} *`]);
      expect(run.status, describeRun(run)).toBe(0);
      return new Set((JSON.parse(run.stdout) as { name: string }[]).map((node) => node.name));
    };
    const sdkIn = (names: Set<string>) => [...names].filter((name) => cloudSdk.test(name));
    expect(sdkIn(descendants('@hakoc/certs'))).toEqual([]);
    const core = descendants('@hakoc/core');
    expect(core.has('@hakoc/certs')).toBe(true);
    expect(sdkIn(core)).toEqual([]);
    // The same query finds the SDK where it belongs, so an empty answer above means something.
    expect(sdkIn(descendants('@hakoc/provider-gce'))).toContain('@google-cloud/compute');
  }, 150_000);
});
