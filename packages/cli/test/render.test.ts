import { createHash } from 'node:crypto';
import {
  type Dirent,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, ExitCode, paletteFor } from '@hakoc/cli';
import { DEFAULT_KUBERNETES_VERSION, isHakocError } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { renderCommand } from '../src/commands/render.js';
import { captureIo } from './capture-io.js';

// `hakoc render` against a throw-away key store and a loopback sysext release (the pin is
// resolved from its SHA256SUMS). The command is run directly until it is wired into the program.

const version = DEFAULT_KUBERNETES_VERSION;
const artifact = Buffer.from('stand-in sysext image');
const sha256 = createHash('sha256').update(artifact).digest('hex');
let baseUrl = '';
const server = createServer((request, response) => {
  if (request.url === `/kubernetes-v${version}/SHA256SUMS`) {
    response.end(`${sha256}  kubernetes-v${version}-x86-64.raw\n`);
  } else {
    response.writeHead(404).end();
  }
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A copy of an example spec in a fresh folder, its sysext release on loopback. */
function specIn(name: 'gce' | 'vagrant', sysextBaseUrl = baseUrl): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hakoc-cli-render-'));
  const document = parse(
    readFileSync(new URL(`../../../examples/${name}.yaml`, import.meta.url), 'utf8'),
  ) as { spec: Record<string, unknown> };
  document.spec.image = { sysextBaseUrl };
  const spec = join(dir, 'cluster.yaml');
  writeFileSync(spec, stringify(document));
  return { dir, spec };
}

/** Runs `render ARGS` as `runCli` would, returning the exit code and the captured output. */
async function render(args: string[], io: ReturnType<typeof captureIo>) {
  let code: ExitCode = ExitCode.Ok;
  const command = renderCommand({
    io,
    palette: paletteFor(io),
    exitWith: (c) => {
      if (c > code) code = c;
    },
  }).exitOverride();
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!isHakocError(error)) throw error;
    io.stderr(
      `error: ${error.message} [${error.code}]\n${error.hint ? `hint: ${error.hint}\n` : ''}`,
    );
    code = ExitCode.Failure;
  }
  return code;
}

function ioWith(dir: string, env: CliIo['env'] = { HAKOC_PASSPHRASE: 'render test passphrase' }) {
  return captureIo({ cwd: dir, env });
}

function filesUnder(dir: string): Map<string, string> {
  return new Map(
    (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [path.slice(dir.length + 1), readFileSync(path, 'utf8')] as const;
      }),
  );
}

describe('hakoc render', () => {
  it('writes the manifest, every config and the certificates, the same bytes twice', async () => {
    const { dir, spec } = specIn('vagrant');
    for (const out of ['one', 'two']) {
      const io = ioWith(dir);
      expect(await render([spec, '--out', out, '--pki', 'store'], io), io.err()).toBe(ExitCode.Ok);
      expect(io.err()).toContain('✓ rendered 5 configs of demo');
      expect(io.err()).not.toContain('render test passphrase');
    }
    const one = filesUnder(join(dir, 'one'));
    expect(filesUnder(join(dir, 'two'))).toEqual(one);
    const manifest = JSON.parse(one.get('manifest.json') ?? '') as {
      provider: string;
      configs: { name: string; cloudConfig?: string }[];
    };
    expect(manifest.provider).toBe('vagrant');
    expect(manifest.configs.map((c) => c.name)).toEqual([
      'demo-etcd-0',
      'demo-etcd-1',
      'demo-etcd-2',
      'demo-controller',
      'demo-worker',
    ]);
    expect(one.has('configs/demo-worker.cloud-config')).toBe(true);
    for (const [path, contents] of one) {
      if (path.startsWith('pki/')) expect(contents).not.toContain('PRIVATE KEY');
    }
    expect(one.get('configs/demo-worker.ign')).toContain(`sha256-${sha256}`);
    // On Vagrant the project `vagrant up` runs comes with it: every machine plus the load balancer.
    const machines = JSON.parse(one.get('vagrant/machines.json') ?? '') as {
      machines: { name: string; userData: string }[];
    };
    expect(machines.machines.map((m) => m.name)).toHaveLength(3 + 3 + 2 + 1);
    expect(one.get('vagrant/Vagrantfile')).toContain('machines.json');
    for (const machine of machines.machines) {
      expect(one.get(`vagrant/${machine.userData}`)).toMatch(/^#cloud-config\n/);
    }
    const pins = JSON.parse(readFileSync(join(dir, 'pins.json'), 'utf8')) as object;
    expect(JSON.stringify(pins)).toContain(sha256);
  });

  it('asks for the passphrase clearly when HAKOC_PASSPHRASE is missing', async () => {
    const { dir, spec } = specIn('gce');
    const io = ioWith(dir, {});
    expect(await render([spec, '--out', 'out'], io)).toBe(ExitCode.Failure);
    expect(io.err()).toContain('HAKOC_PASSPHRASE is not set');
    expect(io.err()).toContain('hint: export HAKOC_PASSPHRASE=');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('fails with a hint, and writes nothing, when the sysext cannot be pinned', async () => {
    const { dir, spec } = specIn('gce', 'http://127.0.0.1:1');
    const io = ioWith(dir);
    expect(await render([spec, '--out', 'out', '--pki', 'store'], io)).toBe(ExitCode.Failure);
    expect(io.err()).toContain('[HAKOC_PINS_UNRESOLVED]');
    expect(io.err()).toMatch(/hint: .*spec\.image\.sysextBaseUrl/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('reports an invalid spec with its diagnostics and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hakoc-cli-render-'));
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: hakoc.dev/v1alpha1\nkind: Cluster\n');
    const io = ioWith(dir);
    expect(await render([join(dir, 'bad.yaml'), '--out', 'out'], io)).toBe(ExitCode.Failure);
    expect(io.err()).toContain('metadata');
  });
});
