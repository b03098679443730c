import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type PackageManifest,
  publishablePackages,
  repositoryRoot,
} from '../../../../scripts/pack-packages.ts';

// What every published manifest promises, and what the build really imports. The build is
// read from dist/ (`npm test` builds first).

const packages = publishablePackages();
const rootManifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
  engines: { node: string };
  license: string;
  repository: { url: string };
};
const rootLicense = readFileSync(join(repositoryRoot, 'LICENSE'), 'utf8');
const sourceCondition = '@hakoc/source';

type ExportsMap = Readonly<Record<string, unknown>>;

function conditionObjects(map: ExportsMap): [string, Record<string, string>][] {
  return Object.entries(map).flatMap(([subpath, target]) =>
    typeof target === 'object' && target !== null
      ? [[subpath, target as Record<string, string>]]
      : [],
  );
}

/** `exports` as published: the workspace-only condition removed. */
function withoutSourceCondition(map: ExportsMap): ExportsMap {
  return Object.fromEntries(
    Object.entries(map).map(([subpath, target]) => {
      if (typeof target !== 'object' || target === null) return [subpath, target];
      return [
        subpath,
        Object.fromEntries(Object.entries(target).filter(([c]) => c !== sourceCondition)),
      ];
    }),
  );
}

/** The package each bare import in the built JavaScript names (`a/b/c` → `a`, `@s/a/b` → `@s/a`). */
function importedPackages(dir: string): Set<string> {
  const specifiers = new Set<string>();
  // Static imports and re-exports, side-effect imports, import() and require(.resolve)() calls.
  const pattern =
    /^\s*(?:import|export)\b[^;"]*?\bfrom\s*"([^"\n]+)"|^\s*import\s*"([^"\n]+)"|\b(?:import|require|require\.resolve)\(\s*"([^"\n]+)"\s*\)/gm;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const code = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? '';
      if (specifier.startsWith('.')) continue;
      const parts = specifier.split('/');
      specifiers.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''));
    }
  }
  return specifiers;
}

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

describe.each(packages)('$manifest.name', ({ folder, dir, manifest }) => {
  const raw = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;

  it('publishes the exports of the workspace, without the workspace-only source condition', () => {
    const exportsMap = manifest.exports ?? {};
    expect(manifest.publishConfig?.exports).toEqual(withoutSourceCondition(exportsMap));
    for (const [subpath, conditions] of conditionObjects(exportsMap)) {
      const source = conditions[sourceCondition];
      expect(source, subpath).toBeDefined();
      expect(existsSync(join(dir, source ?? '')), `${subpath} → ${source}`).toBe(true);
    }
    for (const [subpath, conditions] of conditionObjects(manifest.publishConfig?.exports ?? {})) {
      expect(Object.keys(conditions), subpath).toEqual(['types', 'default']);
    }
  });

  it('carries the metadata npm shows, with the workspace license, engines and repository', () => {
    expect(raw.description).toEqual(expect.stringMatching(/^\S.{20,}$/));
    expect(raw.keywords).toEqual(expect.arrayContaining(['hakoc', 'kubernetes']));
    expect(raw.license).toBe(rootManifest.license);
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(rootLicense);
    expect(raw.engines).toEqual(rootManifest.engines);
    expect(raw.repository).toEqual({
      type: 'git',
      url: rootManifest.repository.url,
      directory: `packages/${folder}`,
    });
    expect(raw.files).toContain('dist');
    expect(raw.sideEffects).toBeDefined();
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`npm install`);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(manifest.name);
  });

  it('takes the hakoc packages it builds on as peers, linked in the workspace', () => {
    const ours = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(
      (name) => name.startsWith('@hakoc/'),
    );
    for (const name of ours) {
      // The core and the PKI must be one copy in a program: providers and the command share
      // the user's. The command brings its providers itself.
      const asPeer = folder !== 'core' && (name === '@hakoc/core' || name === '@hakoc/certs');
      if (asPeer) {
        expect(manifest.peerDependencies?.[name], name).toBe('workspace:^');
        expect(manifest.devDependencies?.[name], name).toBe('workspace:*');
        expect(manifest.dependencies?.[name], name).toBeUndefined();
      } else {
        expect(manifest.dependencies?.[name], name).toBe('workspace:^');
      }
    }
  });

  it('imports every dependency by name from its build and bundles none of them', () => {
    const imported = importedPackages(join(dir, 'dist'));
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const undeclared = [...imported].filter((name) => !isBuiltin(name) && !declared.has(name));
    expect(undeclared).toEqual([]);
    // A dependency the build does not import was inlined into it (or is not needed at all),
    // unless it is there for another dependency's peer (commander for its typings).
    const peersOfDependencies = new Set(
      Object.keys(manifest.dependencies ?? {}).flatMap((name) => {
        const depManifest = join(dir, 'node_modules', name, 'package.json');
        const peers = (JSON.parse(readFileSync(depManifest, 'utf8')) as PackageManifest)
          .peerDependencies;
        return Object.keys(peers ?? {});
      }),
    );
    const notImported = [...declared].filter(
      (name) => !imported.has(name) && !peersOfDependencies.has(name),
    );
    expect(notImported).toEqual([]);
    for (const entry of readdirSync(join(dir, 'dist'), { recursive: true, withFileTypes: true })) {
      if (!entry.name.endsWith('.js.map')) continue;
      const map = JSON.parse(readFileSync(join(entry.parentPath, entry.name), 'utf8')) as {
        sources: string[];
      };
      expect(map.sources.filter((source) => source.includes('node_modules'))).toEqual([]);
    }
  });
});
