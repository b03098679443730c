import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki } from '@hakoc/certs';
import {
  DEFAULT_KUBERNETES_VERSION,
  GCE_METADATA_VALUE_LIMIT_BYTES,
  isHakocError,
  loadOrResolvePins,
  pinsFileFor,
  pkiRequestFor,
  readPins,
  renderCluster,
  resolveSysextPin,
  writeRenderedCluster,
} from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleModel, ISSUED_AT, pinsFor, pkiFor, UNUSED_SHA256 } from './fixtures.js';
import { type SysextRelease, serveSysextRelease } from './sysext-release.js';

const passphrase = 'correct horse battery staple';

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

describe('renderCluster', () => {
  it('is deterministic: the same spec and key store give identical bytes', async () => {
    const store = mkdtempSync(join(tmpdir(), 'hakoc-store-'));
    const outputs = [];
    for (let run = 0; run < 2; run++) {
      const model = exampleModel('vagrant');
      const { pki } = await loadOrCreatePki(store, pkiRequestFor(model), {
        passphrase,
        now: ISSUED_AT,
      });
      outputs.push(
        renderCluster(model, pki, { pins: pinsFor(model, 'http://127.0.0.1:9', UNUSED_SHA256) }),
      );
    }
    const [first, second] = outputs;
    expect([...(second?.files ?? [])]).toEqual([...(first?.files ?? [])]);
  });

  it('writes the manifest the issue specifies and pki/ with certificates only', async () => {
    const model = exampleModel('gce');
    const output = renderCluster(model, await pkiFor(model), {
      pins: pinsFor(model, 'http://127.0.0.1:9', UNUSED_SHA256),
    });
    expect(JSON.parse(output.files.get('manifest.json') ?? '')).toEqual({
      cluster: 'demo',
      provider: 'gce',
      configs: [
        ...[0, 1, 2].map((i) => ({
          name: `demo-etcd-${i}`,
          role: 'etcd',
          ignition: `configs/demo-etcd-${i}.ign`,
          machines: [`demo-etcd-${i}`],
        })),
        { name: 'demo-controller', role: 'control-plane', ignition: 'configs/demo-controller.ign' },
        { name: 'demo-worker', role: 'worker', ignition: 'configs/demo-worker.ign' },
      ],
    });
    const pkiFiles = [...output.files].filter(([path]) => path.startsWith('pki/'));
    expect(pkiFiles.map(([path]) => path)).toContain('pki/etcd/ca.crt');
    for (const [path, contents] of pkiFiles) {
      expect(path).toMatch(/\.crt$/);
      expect(contents).not.toMatch(/PRIVATE KEY/);
    }
    for (const config of output.manifest.configs) {
      expect(Buffer.byteLength(output.files.get(config.ignition) ?? '')).toBeLessThan(
        GCE_METADATA_VALUE_LIMIT_BYTES,
      );
    }
  });

  it('refuses to render a download without a pin', async () => {
    const model = exampleModel('gce');
    let caught: unknown;
    try {
      renderCluster(model, await pkiFor(model), { pins: { version: 1, sysext: {} } });
    } catch (error) {
      caught = error;
    }
    expect(isHakocError(caught) && caught.code).toBe('HAKOC_PINS_MISSING');
    expect(isHakocError(caught) && caught.hint).toMatch(/loadOrResolvePins|pre-built image/);
  });

  it('needs no pin and downloads nothing when a pre-built image carries the binaries', async () => {
    const model = exampleModel('gce', (document) => {
      (document.spec as Record<string, unknown>).image = { name: 'hakoc-k8s-1-37' };
    });
    const output = renderCluster(model, await pkiFor(model), { pins: { version: 1, sysext: {} } });
    const worker = output.files.get('configs/demo-worker.ign') ?? '';
    expect(worker).not.toContain('verification');
    expect(worker).toContain('/opt/kubernetes/bin/kubelet');
  });
});

describe('writeRenderedCluster', () => {
  it('writes every file (0600, folders 0700) and leaves no temporary files', async () => {
    const model = exampleModel('vagrant');
    const output = renderCluster(model, await pkiFor(model), {
      pins: pinsFor(model, 'http://127.0.0.1:9', UNUSED_SHA256),
    });
    const dir = join(mkdtempSync(join(tmpdir(), 'hakoc-out-')), 'out');
    await writeRenderedCluster(dir, output);
    await writeRenderedCluster(dir, output);
    expect(listFiles(dir).sort()).toEqual([...output.files.keys()].sort());
    for (const [path, contents] of output.files) {
      expect(readFileSync(join(dir, path), 'utf8')).toBe(contents);
      expect(statSync(join(dir, path)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(dir, 'configs')).mode & 0o777).toBe(0o700);
  });
});

describe('sysext pins', () => {
  let release: SysextRelease;
  beforeAll(async () => {
    release = await serveSysextRelease(DEFAULT_KUBERNETES_VERSION);
  });
  afterAll(async () => {
    await release?.server.close();
  });

  it('resolve from the release SHA256SUMS', async () => {
    const pin = await resolveSysextPin({
      version: DEFAULT_KUBERNETES_VERSION,
      baseUrl: `${release.server.baseUrl}/`,
      fetch: (url) => fetch(url),
    });
    expect(pin).toEqual({
      url: `${release.server.baseUrl}/kubernetes-v${DEFAULT_KUBERNETES_VERSION}/kubernetes-v${DEFAULT_KUBERNETES_VERSION}-x86-64.raw`,
      sha256: release.sha256,
    });
  });

  it('are cached next to the key store, so the next render is offline', async () => {
    const model = exampleModel('gce', (document) => {
      (document.spec as Record<string, unknown>).image = { sysextBaseUrl: release.server.baseUrl };
    });
    const file = pinsFileFor(join(mkdtempSync(join(tmpdir(), 'hakoc-pins-')), 'pki'));
    const first = await loadOrResolvePins({ file, model, fetch: (url) => fetch(url) });
    expect(await readPins(file)).toEqual(first);
    const offline = await loadOrResolvePins({
      file,
      model,
      fetch: () => Promise.reject(new Error('offline')),
    });
    expect(offline).toEqual(first);
  });

  it('fail with a clear error and hint when the sums are unreachable or do not list the file', async () => {
    const model = exampleModel('gce', (document) => {
      (document.spec as Record<string, unknown>).image = { sysextBaseUrl: release.server.baseUrl };
    });
    const file = join(mkdtempSync(join(tmpdir(), 'hakoc-pins-')), 'pins.json');
    const unreachable = loadOrResolvePins({
      file,
      model,
      fetch: () => Promise.reject(new Error('ENETUNREACH')),
    });
    await expect(unreachable).rejects.toMatchObject({
      code: 'HAKOC_PINS_UNRESOLVED',
      hint: expect.stringContaining('spec.image.sysextBaseUrl'),
    });
    await expect(
      resolveSysextPin({
        version: '1.36.4',
        baseUrl: release.server.baseUrl,
        fetch: (url) => fetch(url),
      }),
    ).rejects.toThrow(/HTTP 404/);
    writeFileSync(file, 'not json');
    await expect(readPins(file)).rejects.toMatchObject({ code: 'HAKOC_PINS_CORRUPT' });
  });
});
