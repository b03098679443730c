import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig({
  ...packageBuild,
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'testing/contract': 'src/testing/contract.ts',
  },
  // Shared chunks: the testing entry points use the engine of the main one, not a copy of it,
  // so a plan made through one is known to `apply` from the other (plan internals live in a
  // module-level WeakMap).
  splitting: true,
});
