import { defineConfig } from 'vitest/config';

// One run covers every package. Workspace packages resolve to their TypeScript sources through
// the `@hakoc/source` export condition, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['@hakoc/source'] },
  ssr: { resolve: { conditions: ['@hakoc/source'] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
