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
const loaded = () => {
  const keys = Object.keys(require.cache);
  const count = (name) => keys.filter((k) => k.includes('/node_modules/' + name + '/')).length;
  return { compute: count('@google-cloud/compute'), gax: count('google-gax'), dns: count('@google-cloud/dns'), auth: count('google-auth-library') };
};
const before = loaded();
// Positive control: the same check does see the client libraries once one client is loaded.
await import('@google-cloud/compute/build/src/v1/networks_client.js');
await import('@google-cloud/dns');
console.log(JSON.stringify({ importMs, before, afterClient: loaded(), hasFactory: typeof gce.gce }));
`;

describe('lazy loading', () => {
  it('importing @hakoc/provider-gce loads no Google library (compute, google-gax, Cloud DNS, auth)', async () => {
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
    type Loaded = Record<'compute' | 'gax' | 'dns' | 'auth', number>;
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      importMs: number;
      before: Loaded;
      afterClient: Loaded;
      hasFactory: string;
    };
    expect(result.hasFactory).toBe('function');
    expect(result.before).toEqual({ compute: 0, gax: 0, dns: 0, auth: 0 });
    for (const library of ['compute', 'gax', 'dns', 'auth'] as const) {
      expect(result.afterClient[library], library).toBeGreaterThan(0);
    }
    console.log(
      `import of @hakoc/provider-gce (TypeScript sources): ${Math.round(result.importMs)} ms, no Google library loaded`,
    );
  });
});
