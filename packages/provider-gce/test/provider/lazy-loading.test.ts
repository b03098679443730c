import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// A resolve hook for a bare Node child: workspace packages by their TypeScript sources, and
// `.js` specifiers to the `.ts` files beside them (Node strips the types itself).
const HOOKS = `
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (error) {
    if (specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context);
    throw error;
  }
}`;

const CHILD = `
import { register, createRequire } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}));
const started = performance.now();
const gce = await import(${JSON.stringify(fileURLToPath(new URL('../../src/index.ts', import.meta.url)))});
const importMs = performance.now() - started;
const require = createRequire(import.meta.url);
const loaded = () => Object.keys(require.cache).filter((k) => k.includes('@google-cloud/compute')).length;
const before = loaded();
// Positive control: the same check does see the compute client once it is loaded.
await import('@google-cloud/compute/build/src/v1/networks_client.js');
console.log(JSON.stringify({ importMs, computeModules: before, afterClient: loaded(), hasFactory: typeof gce.gce }));
`;

describe('lazy loading', () => {
  it('importing @hakoc/provider-gce loads nothing of @google-cloud/compute', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--conditions=@hakoc/source',
        '--experimental-strip-types',
        '--no-warnings',
        '--input-type=module',
        '-e',
        CHILD,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 20_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      importMs: number;
      computeModules: number;
      afterClient: number;
      hasFactory: string;
    };
    expect(result.hasFactory).toBe('function');
    expect(result.computeModules).toBe(0);
    expect(result.afterClient).toBeGreaterThan(0);
    console.log(
      `import of @hakoc/provider-gce: ${Math.round(result.importMs)} ms, compute modules: 0`,
    );
  });
});
