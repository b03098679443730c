import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts', 'src/bin.ts'],
  // Each command's implementation is its own chunk, loaded when the command runs: without
  // splitting, the packages those chunks import would be imported at start-up by bin.js.
  splitting: true,
});
