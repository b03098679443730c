import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProviderError, plan } from '@hakoc/core';
import { JWT } from 'google-auth-library';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ComputeClients, loadComputeClients } from '../../src/compute-clients.js';
import { gce } from '../../src/index.js';
import { exampleModel, FAST_RETRY, type GceWorld, inputOf, startWorld } from './fixtures.js';

const EMAIL = 'hakoc-deployer@my-project.iam.gserviceaccount.com';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const dir = mkdtempSync(join(tmpdir(), 'hakoc-gce-credentials-'));
const KEY_FILE = join(dir, 'key.json');
writeFileSync(
  KEY_FILE,
  JSON.stringify({
    type: 'service_account',
    project_id: 'my-project',
    private_key_id: 'k1',
    private_key: privateKey,
    client_email: EMAIL,
    client_id: '1',
    token_uri: 'https://oauth2.googleapis.com/token',
  }),
  { mode: 0o600 },
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The service account an auth object (a GoogleAuth, or the client it was given) signs as. */
async function emailOf(auth: object): Promise<string> {
  const client: object =
    'getClient' in auth && typeof auth.getClient === 'function' ? await auth.getClient() : auth;
  return 'email' in client ? String(client.email) : 'none';
}

/** The service account compute and Cloud DNS would sign their calls as (no call is made). */
async function identities(clients: ComputeClients): Promise<string[]> {
  return [
    await emailOf(clients.networks.auth),
    await emailOf(clients.dnsOf('my-project').authClient),
  ];
}

describe('credentials', () => {
  let world: GceWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('an injected auth client signs every compute and Cloud DNS call', async () => {
    const model = exampleModel();
    const provider = gce({
      model,
      endpoint: world.emulator.url,
      requestsPerSecond: 0,
      authClient: new JWT({ email: EMAIL, key: privateKey }),
    });
    try {
      await plan(inputOf(model), provider, { owner: world.owner, retry: FAST_RETRY });
    } finally {
      await provider.close();
    }
    const calls = world.emulator.log.filter((e) => e.api === 'compute' || e.api === 'dns');
    expect(calls.filter((e) => e.api === 'dns').length).toBeGreaterThan(0);
    expect(calls.filter((e) => e.api === 'compute').length).toBeGreaterThan(10);
    expect(new Set(calls.map((e) => e.principal))).toEqual(new Set([EMAIL]));
  });

  it('sends no credentials over plain HTTP, even with a key file in the spec', async () => {
    const model = exampleModel((m) => {
      if (m.provider.name === 'gce') m.provider.credentialsFile = KEY_FILE;
    });
    const provider = world.provider(model);
    await plan(inputOf(model), provider, { owner: world.owner, retry: FAST_RETRY });
    expect(world.emulator.log.length).toBeGreaterThan(0);
    expect(world.emulator.log.filter((e) => e.principal !== undefined)).toEqual([]);
  });
});

describe('credentials towards an https endpoint (a private one, or Google)', () => {
  const endpoint = 'https://compute-private.example.com';

  it('uses the service-account key file for compute and Cloud DNS', async () => {
    const clients = await loadComputeClients({
      endpoint,
      credentialsFile: KEY_FILE,
    });
    try {
      expect(await identities(clients)).toEqual([EMAIL, EMAIL]);
    } finally {
      await clients.close();
    }
  });

  it('refuses a key file that is not a service-account key, naming the file only', async () => {
    const external = join(dir, 'external.json');
    writeFileSync(
      external,
      JSON.stringify({
        type: 'external_account',
        audience: 'secret-audience',
        credential_source: { url: 'http://169.254.169.254/token' },
      }),
    );
    const failure = await loadComputeClients({
      endpoint,
      credentialsFile: external,
    }).catch((error: unknown) => error);
    expect(isProviderError(failure)).toBe(true);
    if (!isProviderError(failure)) return;
    expect(failure.reason).toBe('invalid');
    expect(failure.message).toContain(external);
    expect(failure.message).not.toContain('secret-audience');
    const missing = await loadComputeClients({
      endpoint,
      credentialsFile: join(dir, 'absent.json'),
    }).catch((error: unknown) => error);
    expect(isProviderError(missing) && missing.message).toMatch(/absent\.json cannot be read/);
  });

  it('falls back to Application Default Credentials', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = KEY_FILE;
    const clients = await loadComputeClients({ endpoint });
    try {
      expect(await identities(clients)).toEqual([EMAIL, EMAIL]);
    } finally {
      await clients.close();
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });
});
