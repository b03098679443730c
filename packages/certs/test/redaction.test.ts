import { inspect } from 'node:util';
import { loadOrCreatePki, Secret } from '@hakoc/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, passphrase, removeTempDir, sampleRequest } from './fixtures.js';

describe('key material never shows when objects are printed or serialised', () => {
  let dir: string;
  let result: Awaited<ReturnType<typeof loadOrCreatePki>>;
  beforeAll(async () => {
    dir = await makeTempDir();
    result = await loadOrCreatePki(dir, sampleRequest(), { passphrase: new Secret(passphrase) });
  });
  afterAll(() => removeTempDir(dir));

  it('redacts a Secret in every printing path', () => {
    const secret = new Secret('hunter2-private');
    const printed = [
      String(secret),
      `${secret}`,
      JSON.stringify({ secret }),
      inspect(secret),
      inspect({ nested: { secret } }, { depth: null, showHidden: true }),
      Object.keys(secret).join(),
    ];
    for (const text of printed) expect(text).not.toContain('hunter2');
    expect(secret.reveal()).toBe('hunter2-private');
  });

  it('shows no key, kubeconfig credential or token in the whole result', () => {
    const { pki } = result;
    const forbidden = [
      'PRIVATE KEY',
      pki.workerBootstrap.token.secret.reveal(),
      Buffer.from(pki.clientCertificates.admin.key.reveal()).toString('base64').slice(0, 40),
      passphrase,
    ];
    const printed = [
      JSON.stringify(result),
      inspect(result, { depth: null }),
      inspect(result, { depth: null, showHidden: true }),
      String(pki.kubeconfigs.admin),
    ];
    for (const text of printed) for (const secret of forbidden) expect(text).not.toContain(secret);
    // The certificates themselves are public and stay visible.
    expect(JSON.stringify(result)).toContain('BEGIN CERTIFICATE');
    expect(JSON.stringify(result)).toContain(pki.workerBootstrap.token.id);
  });

  it('keeps keys and the passphrase out of error messages', async () => {
    const failure = await loadOrCreatePki(dir, sampleRequest(), {
      passphrase: 'a wrong passphrase',
    }).catch((e: unknown) => e);
    const text = inspect(failure, { depth: null });
    expect(text).toContain('HAKOC_KEYSTORE_PASSPHRASE');
    expect(text).not.toContain('a wrong passphrase');
    expect(text).not.toContain('PRIVATE KEY');
  });
});
