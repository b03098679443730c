import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_KUBERNETES_VERSION,
  kubernetesBinariesFor,
  loadOrResolvePins,
  pinsFileFor,
  readPins,
  sysextFileName,
} from '@hakoc/core';
import {
  STAND_IN_SYSEXT_SHA256,
  standInSysextPins,
  startStandInSysextRelease,
  writeStandInSysextPins,
} from '@hakoc/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleModel } from '../render/fixtures.js';

// The stand-in is only useful if hakoc's own pin handling takes it as it would a real pin: the
// written file must be read back as is, and the served release must resolve to the same pin.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hakoc-stand-in-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// The GCE example at the default Kubernetes version, whose image digests hakoc ships: only the
// sysext can need a fetch.
function modelWith(sysextBaseUrl?: string) {
  return exampleModel('gce', (document) => {
    if (sysextBaseUrl !== undefined)
      (document.spec as Record<string, unknown>).image = { sysextBaseUrl };
  });
}

describe('sysext stand-in', () => {
  it('is a lowercase hex SHA-256', () => {
    expect(STAND_IN_SYSEXT_SHA256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('pins the asked version under the asked base URL, the default one when undefined', () => {
    const mirrored = standInSysextPins({ version: '1.35.9', baseUrl: 'https://mirror.test/x/' });
    expect(mirrored.sysext).toEqual({
      [sysextFileName('1.35.9')]: {
        url: `https://mirror.test/x/kubernetes-v1.35.9/${sysextFileName('1.35.9')}`,
        sha256: STAND_IN_SYSEXT_SHA256,
      },
    });
    const byDefault = standInSysextPins({ baseUrl: undefined });
    const file = sysextFileName(DEFAULT_KUBERNETES_VERSION);
    expect(Object.keys(byDefault.sysext)).toEqual([file]);
    expect(byDefault.sysext[file]?.url).toMatch(/^https:\/\/github\.com\/flatcar\/sysext-bakery\//);
  });

  it('writes pins that a render takes without fetching anything', async () => {
    const keyStore = join(await scratch(), 'nested', 'pki');
    const written = await writeStandInSysextPins(keyStore);
    expect(written).toBe(pinsFileFor(keyStore));
    const model = modelWith();
    const refuseFetch = () => Promise.reject(new Error('the stand-in pins must need no fetch'));
    const pins = await loadOrResolvePins({ file: written, model, fetch: refuseFetch });
    expect(kubernetesBinariesFor(model, pins)).toMatchObject({
      source: 'sysext',
      sha256: STAND_IN_SYSEXT_SHA256,
    });
    expect(await readPins(written)).toEqual({ ...standInSysextPins(), images: {} });
    expect(JSON.parse(await readFile(written, 'utf8'))).toEqual(standInSysextPins());
  });

  it('serves a release that resolves to the same pin as the written one, and counts fetches', async () => {
    const release = await startStandInSysextRelease();
    cleanups.push(release.close);
    const file = join(await scratch(), 'pins.json');
    const model = modelWith(release.baseUrl);
    const pins = await loadOrResolvePins({ file, model });
    expect(pins.sysext).toEqual(standInSysextPins({ baseUrl: release.baseUrl }).sysext);
    expect(release.fetches()).toBe(1);
    const other = await fetch(`${release.baseUrl}/kubernetes-v0.0.1/SHA256SUMS`);
    expect(other.status).toBe(404);
    expect(release.fetches()).toBe(1);
  });
});
