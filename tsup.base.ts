import type { Options } from 'tsup';

/**
 * Build settings every package shares: ESM for Node 22 with type declarations.
 *
 * Nothing third-party is bundled: tsup leaves every `dependencies` and `peerDependencies` entry
 * external, so the build imports them by name and users update them themselves (the manifest
 * test in packages/cli/test/packaging checks the build imports each one and inlines none). ESM
 * only, on purpose: a CommonJS copy beside it would be a second copy of the engine's module
 * state; Node 22 `require()`s this build.
 */
export const packageBuild: Options = {
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  dts: true,
  clean: true,
  // Sources embedded: users' stack traces point at our TypeScript (docs/benchmarks.md, Packages).
  sourcemap: true,
  splitting: false,
};
