/**
 * Package sizes: what `npm install` downloads and puts on disk for each published package.
 *
 * Each package is packed as it would be published (scripts/pack-packages.ts). Packed is the
 * tarball; unpacked is the files in it. Installed is a scratch project in the temp folder with
 * only that package (and the hakoc packages it needs: its peers and their peers) installed by
 * npm, third-party versions pinned to the workspace's: everything under its node_modules, in
 * apparent bytes, and how many packages that is.
 *
 * Run after building the packages:  node bench/package-size.ts
 * Paste the table into docs/benchmarks.md (## Packages).
 */
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  npmInstall,
  packPackage,
  publishablePackages,
  scratchNpmEnv,
  type WorkspacePackage,
  workspaceDependencyVersions,
} from '../scripts/pack-packages.ts';

/** Sum of the regular files' sizes in a gzipped tarball, and how many there are. */
function tarballContents(tarball: string): { bytes: number; files: number } {
  const tar = gunzipSync(readFileSync(tarball));
  let bytes = 0;
  let files = 0;
  // ustar: 512-byte headers, size as octal at offset 124, type flag at 156 ('0' or NUL: a file).
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(header.subarray(124, 136).toString('ascii').trim() || '0', 8);
    const type = header[156];
    if (type === 0x30 || type === 0) {
      bytes += size;
      files += 1;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return { bytes, files };
}

/** Apparent size of every file under `dir` (symbolic links not followed). */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += lstatSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** The hakoc packages `pkg` needs installed beside it: itself, its hakoc dependencies and peers. */
function hakocClosure(pkg: WorkspacePackage, all: readonly WorkspacePackage[]): WorkspacePackage[] {
  const byName = new Map(all.map((p) => [p.manifest.name, p]));
  const found = new Map<string, WorkspacePackage>();
  const visit = (p: WorkspacePackage) => {
    if (found.has(p.manifest.name)) return;
    found.set(p.manifest.name, p);
    const names = Object.keys({ ...p.manifest.dependencies, ...p.manifest.peerDependencies });
    for (const name of names) {
      const next = byName.get(name);
      if (next !== undefined) visit(next);
    }
  };
  visit(pkg);
  return [...found.values()];
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1);
const MB = (bytes: number) => (bytes / 1_000_000).toFixed(1);

const packages = publishablePackages();
const work = mkdtempSync(join(tmpdir(), 'hakoc-package-size-'));
try {
  const tarballsDir = join(work, 'tarballs');
  mkdirSync(tarballsDir);
  const tarballs = new Map(packages.map((p) => [p.manifest.name, packPackage(p, tarballsDir)]));
  const overrides = workspaceDependencyVersions(packages);
  const rows: string[] = [];
  for (const pkg of packages) {
    const tarball = tarballs.get(pkg.manifest.name) ?? '';
    const contents = tarballContents(tarball);
    const project = join(work, pkg.folder);
    mkdirSync(project);
    const needed = hakocClosure(pkg, packages);
    const dependencies = Object.fromEntries(
      needed.map((p) => [p.manifest.name, `file:${tarballs.get(p.manifest.name)}`]),
    );
    const manifest = { name: `size-${pkg.folder}`, private: true, dependencies, overrides };
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifest));
    process.stderr.write(`installing ${needed.map((p) => p.manifest.name).join(' + ')}\n`);
    npmInstall(project, 600_000);
    const installed = JSON.parse(
      execFileSync('npm', ['query', '*'], { cwd: project, env: scratchNpmEnv(), encoding: 'utf8' }),
    ) as { location: string }[];
    const alongside =
      needed.length > 1
        ? ` (with ${needed
            .slice(1)
            .map((p) => p.manifest.name)
            .join(', ')})`
        : '';
    rows.push(
      `| ${pkg.manifest.name}${alongside} | ${kB(statSync(tarball).size)} | ${kB(contents.bytes)} | ${contents.files} | ${MB(treeBytes(join(project, 'node_modules')))} | ${installed.filter((node) => node.location !== '').length} |`,
    );
  }
  process.stdout.write(
    [
      '| package | packed kB | unpacked kB | files | installed MB, with dependencies | packages installed |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
