// Packs the publishable packages the way `pnpm publish` would: `publishConfig` applied and
// `workspace:` ranges replaced by real versions. The packaging checks, the pack smoke test and
// the package-size benchmark all look at tarballs made here.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repositoryRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** The parts of a package manifest the packaging code reads. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly exports?: Readonly<Record<string, unknown>>;
  readonly publishConfig?: { readonly exports?: Readonly<Record<string, unknown>> };
  readonly bin?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/** One publishable package of the workspace. */
export interface WorkspacePackage {
  /** Its folder under `packages/`, such as `provider-gce`. */
  readonly folder: string;
  /** Absolute path of that folder. */
  readonly dir: string;
  readonly manifest: PackageManifest;
}

// Dependency order: a package comes after every package it imports.
const order = ['certs', 'core', 'provider-gce', 'provider-vagrant', 'cli'];

/** Every folder under `packages/`, in dependency order (unknown folders last). */
export function publishablePackages(): WorkspacePackage[] {
  const rank = (folder: string) => (order.includes(folder) ? order.indexOf(folder) : order.length);
  return readdirSync(join(repositoryRoot, 'packages'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((folder) => {
      const dir = join(repositoryRoot, 'packages', folder);
      const manifest = JSON.parse(
        readFileSync(join(dir, 'package.json'), 'utf8'),
      ) as PackageManifest;
      return { folder, dir, manifest };
    });
}

/** The pnpm that bootstrap.mjs installs (the version `packageManager` pins), else PATH's. */
export function pnpmCommand(): string {
  const pinned = join(repositoryRoot, '.tools', 'pnpm', 'node_modules', '.bin', 'pnpm');
  return existsSync(pinned) ? pinned : 'pnpm';
}

/** Packs one package into `destination` and returns the tarball's absolute path. */
export function packPackage(pkg: WorkspacePackage, destination: string): string {
  const output = execFileSync(
    pnpmCommand(),
    ['pack', '--pack-destination', destination, '--json'],
    {
      cwd: pkg.dir,
      env: scratchNpmEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    },
  );
  return (JSON.parse(output) as { filename: string }).filename;
}

/**
 * The version the workspace installed of each third-party dependency of `packages`: a scratch
 * install pins them (npm `overrides`), so it runs what the workspace tested.
 */
export function workspaceDependencyVersions(
  packages: readonly WorkspacePackage[],
): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const pkg of packages) {
    for (const dep of Object.keys(pkg.manifest.dependencies ?? {})) {
      if (dep.startsWith('@hakoc/')) continue;
      const manifest = join(pkg.dir, 'node_modules', dep, 'package.json');
      versions[dep] = (JSON.parse(readFileSync(manifest, 'utf8')) as PackageManifest).version;
    }
  }
  return versions;
}

/**
 * The environment for npm and pnpm outside the workspace's own scripts: this Node first on
 * PATH, and none of the `npm_*` settings an enclosing `npm test` or `npm run` passes down.
 */
export function scratchNpmEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
  return { ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
}

/** Runs `npm install` in a scratch project; the npm cache answers first (--prefer-offline). */
export function npmInstall(projectDir: string, timeoutMs: number): void {
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    {
      cwd: projectDir,
      env: scratchNpmEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    },
  );
}
