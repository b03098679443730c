import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEmulatorArgs } from '../../src/emulator/args.js';
import { startGceEmulator } from '../../src/emulator/index.js';
import { computeClients, dnsClient, done } from './clients.js';
import { networkAndSubnet, PROJECT, REGION, template } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hakoc-gce-emulator-'));

/**
 * Runs the bin from its TypeScript source: Node strips the types, and this resolve hook maps the
 * sources' `./x.js` imports (NodeNext style) onto the `./x.ts` files beside them.
 */
const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (error) {
    if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context);
    throw error;
  }
}
`,
);
const register = join(dir, 'register.mjs');
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('state file and the hakoc-gce-emulator bin', () => {
  it('keeps the world across a restart', async () => {
    const statePath = join(dir, 'world.json');
    const first = await startGceEmulator({ latencyScale: 0.002, statePath, seed: 5 });
    const c1 = computeClients(first);
    try {
      await networkAndSubnet(c1);
      await template(c1, 'workers-v1');
      await done(
        c1,
        c1.regionInstanceGroupManagers.insert({
          project: PROJECT,
          region: REGION,
          instanceGroupManagerResource: {
            name: 'workers',
            instanceTemplate: 'global/instanceTemplates/workers-v1',
            targetSize: 2,
          },
        }),
      );
    } finally {
      await c1.close();
      await first.close();
    }
    const saved = JSON.parse(readFileSync(statePath, 'utf8')) as { version: number };
    expect(saved.version).toBe(1);
    const second = await startGceEmulator({ latencyScale: 0.002, statePath, seed: 5 });
    const c2 = computeClients(second);
    try {
      const [subnet] = await c2.subnetworks.get({
        project: PROJECT,
        region: REGION,
        subnetwork: 'demo-nodes',
      });
      expect(subnet.ipCidrRange).toBe('10.10.0.0/24');
      const deadline = Date.now() + 5_000;
      let managed = 0;
      while (Date.now() < deadline) {
        const [list] = await c2.regionInstanceGroupManagers.listManagedInstances({
          project: PROJECT,
          region: REGION,
          instanceGroupManager: 'workers',
        });
        managed = list.filter((m) => m.instanceStatus === 'RUNNING').length;
        if (managed === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(managed).toBe(2);
      const duplicate = await done(
        c2,
        c2.networks.insert({ project: PROJECT, networkResource: { name: 'demo' } }),
      ).catch((e: { code?: number }) => e);
      expect(duplicate).toMatchObject({ code: 6 });
    } finally {
      await c2.close();
      await second.close();
    }
  });

  it('forgets the world, the log and changed faults on reset, keeps its seeded DNS zones and its clients', async () => {
    const emulator = await startGceEmulator({
      latencyScale: 0.002,
      seed: 3,
      dnsZones: [{ name: 'example-zone', dnsName: 'example.com.' }],
    });
    const c = computeClients(emulator);
    try {
      await networkAndSubnet(c);
      const firstIds = emulator.resources(/\/global\/networks\//).map((r) => r.resource.id);
      const dns = await dnsClient(emulator, PROJECT);
      await dns.zone('example-zone').getMetadata();
      emulator.setFaults({ rate: 1 });
      emulator.reset();
      expect(emulator.resources(new RegExp(`^projects/${PROJECT}/`))).toEqual([]);
      expect(emulator.log).toEqual([]);
      // The same clients go on, faults are back to the start settings (none), and the same
      // seed draws the same world again.
      const [networks] = await c.networks.list({ project: PROJECT }, { autoPaginate: false });
      expect(networks).toEqual([]);
      await networkAndSubnet(c);
      expect(emulator.resources(/\/global\/networks\//).map((r) => r.resource.id)).toEqual(
        firstIds,
      );
      const [zone] = await dns.zone('example-zone').getMetadata();
      expect(zone.dnsName).toBe('example.com.');
    } finally {
      await c.close();
      await emulator.close();
    }
  });

  it('parses its flags', () => {
    expect(
      parseEmulatorArgs([
        '--port',
        '0',
        '--latency-scale',
        '0.5',
        '--dns-zone',
        'z=example.com',
        '--dns-zone',
        'y=example.org.',
      ]),
    ).toEqual({
      port: 0,
      latencyScale: 0.5,
      dnsZones: [
        { name: 'z', dnsName: 'example.com.' },
        { name: 'y', dnsName: 'example.org.' },
      ],
    });
    expect(() => parseEmulatorArgs(['--fault-rate', '2'])).toThrow(/fault-rate/);
    expect(() => parseEmulatorArgs(['--bogus'])).toThrow();
  });

  it('prints its URL first, serves, and stops cleanly on SIGTERM saving its state', async () => {
    const statePath = join(dir, 'bin.json');
    const bin = fileURLToPath(new URL('../../src/emulator/bin.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--experimental-strip-types',
        '--no-warnings',
        '--import',
        register,
        bin,
        '--port',
        '0',
        '--dns-zone',
        'z=example.com',
        '--state',
        statePath,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no URL within 10 s')), 10_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const zones = (await (await fetch(`${url}/dns/v1/projects/p/managedZones`)).json()) as {
      managedZones: Array<{ name: string }>;
    };
    expect(zones.managedZones.map((z) => z.name)).toEqual(['z']);
    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    const code = await Promise.race([
      exit,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000)),
    ]);
    expect(code).toBe(0);
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
      resources: Record<string, unknown>;
    };
    expect(Object.keys(state.resources)).toContain('dns/projects/p/managedZones/z');
  });
});
