import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, runCli } from '@hakoc/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeconfigCommand } from '../src/commands/kubeconfig.js';
import { captureIo } from './capture-io.js';
import { runCommand } from './support/run-command.js';

const passphrase = 'correct horse battery staple';
let cwd: string;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'hakoc-cli-kubeconfig-'));
  copyFileSync(new URL('../../../examples/gce.yaml', import.meta.url), join(cwd, 'cluster.yaml'));
  const io = captureIo({ cwd, env: { HAKOC_PASSPHRASE: passphrase } });
  expect(await runCli(['certs', 'init', 'cluster.yaml'], io)).toBe(ExitCode.Ok);
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const kubeconfig = async (
  args: string[],
  env: Record<string, string> = { HAKOC_PASSPHRASE: passphrase },
) => {
  const io = captureIo({ cwd, env });
  return { ...(await runCommand(kubeconfigCommand, args, io)), io };
};

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

const decode = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

describe('hakoc kubeconfig', () => {
  it('writes the admin kubeconfig 0600 where the spec keeps its files, and prints only the path', async () => {
    const { code, io } = await kubeconfig(['cluster.yaml']);
    expect(code).toBe(ExitCode.Ok);
    const path = join(cwd, '.hakoc/demo/kubeconfig');
    expect(io.out()).toBe(`${path}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const config = parse(readFileSync(path, 'utf8')) as Kubeconfig;
    expect(config.clusters[0]?.cluster.server).toBe('https://api.k8s.example.com:6443');
    const user = config.users[0]?.user;
    const key = decode(user?.['client-key-data'] ?? '');
    const certificate = new X509Certificate(decode(user?.['client-certificate-data'] ?? ''));
    expect(certificate.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(certificate.subject).toContain('O=kubeadm:cluster-admins');
    const ca = new X509Certificate(
      decode(config.clusters[0]?.cluster['certificate-authority-data'] ?? ''),
    );
    expect(certificate.verify(ca.publicKey)).toBe(true);

    // The key never reaches the terminal or a log.
    const keyBody = key.split('\n')[1] ?? '';
    expect(keyBody.length).toBeGreaterThan(20);
    expect(io.out() + io.err()).not.toContain(keyBody);
    expect(io.err()).toContain('https://api.k8s.example.com:6443');
  });

  it('replaces an existing file atomically, narrowing it to 0600, and leaves no temporary file', async () => {
    const path = join(cwd, 'out/admin.conf');
    const first = await kubeconfig(['cluster.yaml', '--out', 'out/admin.conf']);
    expect(first.code).toBe(ExitCode.Ok);
    writeFileSync(path, 'stale');
    chmodSync(path, 0o644);
    expect((await kubeconfig(['cluster.yaml', '--out', 'out/admin.conf'])).code).toBe(ExitCode.Ok);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('kind: Config');
    expect(readdirSync(join(cwd, 'out'))).toEqual(['admin.conf']);
  });

  it('prints the kubeconfig itself only with --out -', async () => {
    const { code, io } = await kubeconfig(['cluster.yaml', '--out', '-']);
    expect(code).toBe(ExitCode.Ok);
    expect(parse(io.out())).toMatchObject({
      kind: 'Config',
      'current-context': expect.any(String),
    });
    expect(io.err()).toBe('');
  });

  it('refuses to mint a new CA when there is no key store', async () => {
    const { code, error } = await kubeconfig(['cluster.yaml', '--dir', 'nowhere']);
    expect(code).toBe(ExitCode.Failure);
    expect(error?.code).toBe('HAKOC_KEYSTORE_MISSING');
    expect(error?.hint).toContain('hakoc apply cluster.yaml');
    expect(() => statSync(join(cwd, 'nowhere'))).toThrow();
  });

  it('fails without the passphrase, or with a wrong one, and writes nothing', async () => {
    const missing = await kubeconfig(['cluster.yaml', '--out', 'none.conf'], {});
    expect(missing.error?.code).toBe('HAKOC_PASSPHRASE_MISSING');
    const wrong = await kubeconfig(['cluster.yaml', '--out', 'none.conf'], {
      HAKOC_PASSPHRASE: 'not the passphrase',
    });
    expect(wrong.code).toBe(ExitCode.Failure);
    expect(() => statSync(join(cwd, 'none.conf'))).toThrow();
  });

  it('has help with examples', async () => {
    const { code, io } = await kubeconfig(['--help']);
    expect(code).toBe(ExitCode.Ok);
    expect(io.out()).toContain('Examples:');
  });
});
