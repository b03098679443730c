import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClusterModel,
  componentImageTags,
  DEFAULT_KUBERNETES_VERSION,
  type FetchLike,
  isHakocError,
  isImageDigest,
  KNOWN_IMAGE_DIGESTS,
  loadOrResolvePins,
  type PinsFile,
  parseIgnition,
  parseTaggedImageReference,
  readPins,
  renderCluster,
} from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleModel, pinsFor, pkiFor, UNUSED_SHA256 } from './fixtures.js';
import { type LoopbackRegistry, startLoopbackRegistry } from './loopback-registry.js';

// Image pins end to end: the shipped digests, the pins file, the registry resolver (a stand-in
// registry on loopback takes the place of registry.k8s.io and ghcr.io) and the rendered configs.

/** The example GCE cluster on a pre-built image (no sysext pin) at `version`. */
function imageModel(version: string): ClusterModel {
  return exampleModel('gce', (document) => {
    const spec = document.spec as Record<string, unknown>;
    spec.image = { name: 'hakoc-k8s' };
    spec.kubernetes = { version };
  });
}

const pinsFile = () => join(mkdtempSync(join(tmpdir(), 'hakoc-pins-')), 'pins.json');
const offline: FetchLike = () => Promise.reject(new Error('no network in this test'));

/** Every file and unit every config of a rendered cluster writes, decompressed, as one text. */
function renderedText(
  model: ClusterModel,
  pins: PinsFile,
  pki: Awaited<ReturnType<typeof pkiFor>>,
) {
  const output = renderCluster(model, pki, { pins });
  return output.manifest.configs
    .flatMap((config) => {
      const { files, units } = parseIgnition(output.files.get(config.ignition) ?? '');
      return [
        ...files.map((file) =>
          typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString(),
        ),
        ...units.map((unit) => unit.contents ?? ''),
      ];
    })
    .join('\n');
}

async function failure(run: () => unknown): Promise<{ code?: string; hint?: string }> {
  try {
    await run();
  } catch (error) {
    if (isHakocError(error))
      return { code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('the shipped digests', () => {
  it('are well-formed, and each names two independent sources unless it says why it has one', () => {
    for (const [reference, known] of Object.entries(KNOWN_IMAGE_DIGESTS)) {
      expect(parseTaggedImageReference(reference).tag.length).toBeGreaterThan(0);
      expect(isImageDigest(known.digest), reference).toBe(true);
      if (known.singleSource === undefined) {
        expect(new Set(known.sources).size, reference).toBeGreaterThanOrEqual(2);
      } else {
        expect(known.sources, reference).toHaveLength(1);
        expect(known.singleSource.length, reference).toBeGreaterThan(40);
      }
    }
  });

  it('cover every image of the default version, so the default renders with no network', async () => {
    const model = imageModel(DEFAULT_KUBERNETES_VERSION);
    const pins = await loadOrResolvePins({ file: pinsFile(), model, fetch: offline });
    expect(pins.images).toEqual({});
    // Rendered with the sysext (etcd then runs from its image too), every image is pinned.
    const sysextModel = exampleModel('gce');
    const sysextPins = {
      ...pins,
      sysext: pinsFor(sysextModel, 'http://127.0.0.1:9', UNUSED_SHA256).sysext,
    };
    const text = renderedText(sysextModel, sysextPins, await pkiFor(sysextModel));
    for (const tag of Object.values(componentImageTags(DEFAULT_KUBERNETES_VERSION))) {
      const digest = KNOWN_IMAGE_DIGESTS[tag]?.digest;
      expect(digest, tag).toBeDefined();
      expect(text).toContain(`${tag}@${digest}`);
      // The tag never appears without its digest.
      expect(
        text
          .split(tag)
          .slice(1)
          .every((rest) => rest.startsWith('@sha256:')),
        tag,
      ).toBe(true);
    }
  });
});

describe('images hakoc ships no digest of', () => {
  let registry: LoopbackRegistry;
  // registry.k8s.io and ghcr.io, answered by the stand-in.
  let throughStandIn: FetchLike;
  beforeAll(async () => {
    registry = await startLoopbackRegistry();
    throughStandIn = (url, init) =>
      fetch(url.replace(/^https:\/\/(registry\.k8s\.io|ghcr\.io)\//, `${registry.baseUrl}/`), init);
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('are resolved from the registry once, kept in the pins file, and render offline after', async () => {
    const model = imageModel('1.35.4');
    const file = pinsFile();
    const first = await loadOrResolvePins({ file, model, fetch: throughStandIn });
    const unknown = Object.values(componentImageTags('1.35.4')).filter(
      (tag) => KNOWN_IMAGE_DIGESTS[tag] === undefined,
    );
    expect(unknown.length).toBeGreaterThan(0);
    const expected = Object.fromEntries(
      unknown.sort().map((tag) => {
        const { repository, tag: version } = parseTaggedImageReference(tag);
        return [tag, registry.digest(repository, version)];
      }),
    );
    expect(first.images).toEqual(expected);
    expect(await readPins(file)).toEqual(first);
    // Only what was missing was asked for: no request for a digest hakoc ships.
    const asked = registry.requests.map((request) => request.url);
    expect(asked.some((url) => url.includes('/pause/'))).toBe(false);
    const again = await loadOrResolvePins({ file, model, fetch: offline });
    expect(again).toEqual(first);
    const text = renderedText(model, again, await pkiFor(model));
    expect(text).toContain(
      `registry.k8s.io/kube-proxy:v1.35.4@${expected['registry.k8s.io/kube-proxy:v1.35.4']}`,
    );
  });

  it('fail to render without a pin, and to resolve without the registry', async () => {
    const model = imageModel('1.35.4');
    const pki = await pkiFor(model);
    const missing = await failure(() =>
      renderCluster(model, pki, { pins: { version: 1, sysext: {} } }),
    );
    expect(missing.code).toBe('HAKOC_PINS_MISSING');
    expect(missing.hint).toMatch(/loadOrResolvePins/);
    const unreachable = await failure(() =>
      loadOrResolvePins({ file: pinsFile(), model, fetch: offline }),
    );
    expect(unreachable.code).toBe('HAKOC_PINS_UNRESOLVED');
  });
});

describe('the pins file', () => {
  it('written before images were pinned still loads, and gains what it lacked', async () => {
    const file = pinsFile();
    const sysext = {
      'kubernetes-v1.36.2-x86-64.raw': {
        url: 'https://example.test/k.raw',
        sha256: 'b'.repeat(64),
      },
    };
    writeFileSync(file, JSON.stringify({ version: 1, sysext }));
    expect(await readPins(file)).toEqual({ version: 1, sysext, images: {} });
    const model = imageModel(DEFAULT_KUBERNETES_VERSION);
    // The default needs nothing: the old file is returned as it was, and not rewritten.
    expect(await loadOrResolvePins({ file, model, fetch: offline })).toEqual({
      version: 1,
      sysext,
      images: {},
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, sysext });
  });

  it('may not contradict a shipped digest', async () => {
    const tag = componentImageTags(DEFAULT_KUBERNETES_VERSION).kubeApiserver;
    const file = pinsFile();
    const forged = `sha256:${'0'.repeat(64)}` as const;
    writeFileSync(file, JSON.stringify({ version: 1, sysext: {}, images: { [tag]: forged } }));
    const model = imageModel(DEFAULT_KUBERNETES_VERSION);
    const conflict = await failure(() => loadOrResolvePins({ file, model, fetch: offline }));
    expect(conflict.code).toBe('HAKOC_PINS_CONFLICT');
    const pki = await pkiFor(model);
    const rendering = await failure(() =>
      renderCluster(model, pki, { pins: { version: 1, sysext: {}, images: { [tag]: forged } } }),
    );
    expect(rendering.code).toBe('HAKOC_PINS_CONFLICT');
  });

  it('with a malformed digest is reported as corrupt', async () => {
    const file = pinsFile();
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        sysext: {},
        images: { 'registry.k8s.io/pause:3.10.2': 'latest' },
      }),
    );
    expect((await failure(() => readPins(file))).code).toBe('HAKOC_PINS_CORRUPT');
  });
});
