import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHakocError, resolveImageDigest } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackRegistry, startLoopbackRegistry } from './loopback-registry.js';

// The digest resolver against a stand-in registry on loopback, through the real global fetch.

let registry: LoopbackRegistry;
beforeAll(async () => {
  registry = await startLoopbackRegistry({
    tampered: 'tampered-digest',
    'nothing-here': 'missing',
    login: 'html',
    'private/flannel': 'token',
  });
});
afterAll(async () => {
  await registry?.close();
});

const resolve = (reference: string) => resolveImageDigest({ reference, fetch });

async function failure(
  promise: Promise<unknown>,
): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    if (isHakocError(error))
      return {
        code: error.code,
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
      };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('resolveImageDigest', () => {
  it('is the SHA-256 of the manifest bytes, asked for as an OCI index or Docker manifest list', async () => {
    const digest = await resolve(`${registry.host}/kube-proxy:v1.36.9`);
    expect(digest).toBe(registry.digest('kube-proxy', 'v1.36.9'));
    const request = registry.requests.find((r) => r.url === '/v2/kube-proxy/manifests/v1.36.9');
    expect(request?.accept).toContain('application/vnd.oci.image.index.v1+json');
    expect(request?.accept).toContain('application/vnd.docker.distribution.manifest.list.v2+json');
  });

  it('follows multi-part repository paths', async () => {
    expect(await resolve(`${registry.host}/coredns/coredns:v1.13.1`)).toBe(
      registry.digest('coredns/coredns', 'v1.13.1'),
    );
  });

  it('refuses a Docker-Content-Digest that disagrees with the bytes it came with', async () => {
    const error = await failure(resolve(`${registry.host}/tampered:v1`));
    expect(error.code).toBe('HAKOC_PINS_DIGEST_MISMATCH');
    expect(error.message).toContain(registry.digest('tampered', 'v1'));
  });

  it('fetches an anonymous bearer token when the registry asks for one', async () => {
    const digest = await resolve(`${registry.host}/private/flannel:v0.28.1`);
    expect(digest).toBe(registry.digest('private/flannel', 'v0.28.1'));
    const token = registry.requests.find((r) => r.url.startsWith('/token'));
    expect(new URLSearchParams(token?.url.split('?')[1]).get('scope')).toBe(
      'repository:private/flannel:pull',
    );
    expect(registry.requests.at(-1)?.authorization).toBe('Bearer anonymous-pull-token');
  });

  it('fails with a hint on a 404, on something that is not a manifest and on a bad reference', async () => {
    const missing = await failure(resolve(`${registry.host}/nothing-here:v1`));
    expect(missing).toMatchObject({ code: 'HAKOC_PINS_UNRESOLVED' });
    expect(missing.message).toMatch(/HTTP 404/);
    expect(missing.hint).toMatch(/pins\.json/);
    const html = await failure(resolve(`${registry.host}/login:v1`));
    expect(html.message).toMatch(/text\/html, not an image manifest/);
    expect((await failure(resolve('kube-proxy:v1.36.9'))).code).toBe('HAKOC_IMAGE_REFERENCE');
  });

  it('fails with a hint when the registry is unreachable, within its time limit', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((done) => closed.close(() => done()));
    const refused = await failure(resolve(`127.0.0.1:${port}/kube-proxy:v1.36.9`));
    expect(refused.code).toBe('HAKOC_PINS_UNRESOLVED');
    expect(refused.message).toMatch(/could not be fetched/);
    expect(refused.hint).toMatch(/reachable/);
    // A registry that never answers is given up on after the time limit (well inside the
    // test's own), not waited for.
    const silent = createServer(() => {});
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const address = silent.address() as AddressInfo;
    const slow = await failure(
      resolveImageDigest({
        reference: `127.0.0.1:${address.port}/pause:3.10.2`,
        fetch,
        timeoutMs: 200,
      }),
    );
    expect(slow.code).toBe('HAKOC_PINS_UNRESOLVED');
    silent.closeAllConnections();
    await new Promise<void>((done) => silent.close(() => done()));
  });
});
