import type { Options } from 'tsup';

/** Build settings every package shares: ESM for Node 22 with type declarations. */
export const packageBuild: Options = {
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: false,
};
