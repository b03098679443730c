import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, runCli } from '@hakoc/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';

const passphrase = 'correct horse battery staple';
let cwd: string;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'hakoc-cli-certs-'));
  copyFileSync(new URL('../../../examples/gce.yaml', import.meta.url), join(cwd, 'cluster.yaml'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const io = (env: Record<string, string> = { HAKOC_PASSPHRASE: passphrase }) =>
  captureIo({ cwd, env });

describe('hakoc certs', () => {
  it('init creates the encrypted key store where the spec says, and a re-run changes nothing', async () => {
    const first = io();
    expect(await runCli(['certs', 'init', 'cluster.yaml'], first)).toBe(ExitCode.Ok);
    const dir = join(cwd, '.hakoc/demo/pki');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, 'ca.key'), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    expect(first.err()).toContain('created');
    expect(first.err()).not.toContain(passphrase);

    const second = io();
    expect(await runCli(['certs', 'init', 'cluster.yaml', '--json'], second)).toBe(ExitCode.Ok);
    expect(JSON.parse(second.out())).toMatchObject({ dir, changes: [], stale: [] });
  });

  it('check lists every certificate with its expiry and passes when nothing is due', async () => {
    const check = io({});
    expect(await runCli(['certs', 'check', '--dir', '.hakoc/demo/pki'], check)).toBe(ExitCode.Ok);
    expect(check.out()).toMatch(/^CERTIFICATE\s+SUBJECT\s+EXPIRES\s+DAYS LEFT/);
    expect(check.out()).toContain('apiserver.crt');
    expect(check.out()).toContain('etcd/ca.crt');
    const json = io({});
    await runCli(['certs', 'check', '--dir', '.hakoc/demo/pki', '--json'], json);
    const rows = JSON.parse(json.out()) as { path: string; daysLeft: number }[];
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((row) => row.daysLeft >= 363)).toBe(true);
  });

  it('check fails when a certificate expires within 30 days', async () => {
    const spec = readFileSync(join(cwd, 'cluster.yaml'), 'utf8').replace(
      'spec:\n',
      'spec:\n  pki: { leafValidityDays: 20 }\n  keyStore: { dir: short-lived }\n',
    );
    writeFileSync(join(cwd, 'short.yaml'), spec);
    expect(await runCli(['certs', 'init', 'short.yaml'], io())).toBe(ExitCode.Ok);
    const check = io({});
    expect(await runCli(['certs', 'check', '--dir', 'short-lived'], check)).toBe(ExitCode.Failure);
    expect(check.err()).toMatch(/expiring within 30 days/);
  });

  it('renew re-issues only what expires within the window', async () => {
    const none = io();
    expect(await runCli(['certs', 'renew', 'cluster.yaml', '--within', '30', '--json'], none)).toBe(
      ExitCode.Ok,
    );
    expect((JSON.parse(none.out()) as { changes: unknown[] }).changes).toEqual([]);
    const all = io();
    expect(await runCli(['certs', 'renew', 'cluster.yaml', '--json'], all)).toBe(ExitCode.Ok);
    const changes = (JSON.parse(all.out()) as { changes: { action: string }[] }).changes;
    expect(changes.length).toBeGreaterThan(5);
    expect(changes.every((change) => change.action === 'renewed')).toBe(true);
  });

  it('explains a missing passphrase and a wrong one without touching the store', async () => {
    const missing = io({});
    expect(await runCli(['certs', 'init', 'cluster.yaml'], missing)).toBe(ExitCode.Failure);
    expect(missing.err()).toContain('HAKOC_PASSPHRASE is not set');
    expect(missing.err()).toContain('hint:');
    const before = readFileSync(join(cwd, '.hakoc/demo/pki/ca.key'));
    const wrong = io({ HAKOC_PASSPHRASE: 'not the passphrase' });
    expect(await runCli(['certs', 'init', 'cluster.yaml'], wrong)).toBe(ExitCode.Failure);
    expect(wrong.err()).toContain('HAKOC_KEYSTORE_PASSPHRASE');
    expect(readFileSync(join(cwd, '.hakoc/demo/pki/ca.key')).equals(before)).toBe(true);
  });

  it('asks on the terminal when the spec says prompt, and refuses without a terminal', async () => {
    const spec = readFileSync(join(cwd, 'cluster.yaml'), 'utf8').replace(
      'spec:\n',
      'spec:\n  keyStore: { passphrase: { prompt: true } }\n',
    );
    writeFileSync(join(cwd, 'prompt.yaml'), spec);
    const asked: string[] = [];
    const terminal = captureIo({
      cwd,
      env: {},
      readSecret: async (message) => {
        asked.push(message);
        return passphrase;
      },
    });
    expect(await runCli(['certs', 'init', 'prompt.yaml', '--json'], terminal)).toBe(ExitCode.Ok);
    expect(asked).toEqual(['Key-store passphrase:']);
    const pipeline = io({});
    expect(await runCli(['certs', 'init', 'prompt.yaml'], pipeline)).toBe(ExitCode.Failure);
    expect(pipeline.err()).toContain('no terminal to ask for the passphrase on');
  });

  it('check on a folder with no store fails clearly, and bad options are usage errors', async () => {
    const check = io({});
    expect(await runCli(['certs', 'check', '--dir', 'nowhere'], check)).toBe(ExitCode.Failure);
    expect(check.err()).toContain('hakoc certs init');
    expect(existsSync(join(cwd, 'nowhere'))).toBe(false);
    expect(await runCli(['certs', 'renew', 'cluster.yaml', '--within', 'soon'], io())).toBe(
      ExitCode.Usage,
    );
    expect(await runCli(['certs', 'check'], io())).toBe(ExitCode.Usage);
  });
});

describe('hakoc certs rotate-ca', () => {
  const certificates = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  const kubeconfigCaCount = async () => {
    const out = io();
    expect(await runCli(['kubeconfig', 'rotating.yaml', '--out', '-'], out)).toBe(ExitCode.Ok);
    const data = /certificate-authority-data: (\S+)/.exec(out.out())?.[1] ?? '';
    return certificates(Buffer.from(data, 'base64').toString('utf8'));
  };

  beforeAll(async () => {
    const spec = readFileSync(join(cwd, 'cluster.yaml'), 'utf8').replace(
      'spec:\n',
      'spec:\n  keyStore: { dir: rotating }\n',
    );
    writeFileSync(join(cwd, 'rotating.yaml'), spec);
    expect(await runCli(['certs', 'init', 'rotating.yaml'], io())).toBe(ExitCode.Ok);
  });

  it('takes a rotation through start, switch and finish, refusing steps out of order', {
    timeout: 120_000,
  }, async () => {
    const start = io();
    expect(
      await runCli(['certs', 'rotate-ca', 'rotating.yaml', '--overlap', '2d', '--json'], start),
    ).toBe(ExitCode.Ok);
    const started = JSON.parse(start.out()) as { caRotation: { phase: string; cas: string[] } };
    expect(started.caRotation).toMatchObject({
      phase: 'trusting',
      cas: ['ca', 'etcd/ca', 'front-proxy-ca'],
    });
    // The admin kubeconfig trusts both CAs while the rotation runs.
    expect(await kubeconfigCaCount()).toBe(2);

    const check = io({});
    expect(await runCli(['certs', 'check', '--dir', 'rotating'], check)).toBe(ExitCode.Ok);
    expect(check.err()).toMatch(/CA rotation of ca, etcd\/ca, front-proxy-ca .*trusting since/);
    expect(check.out()).toContain('incoming/etcd/ca.crt');
    // Under --json, stderr stays JSON lines: the rotation is an event there.
    const checkJson = io({});
    expect(await runCli(['certs', 'check', '--dir', 'rotating', '--json'], checkJson)).toBe(
      ExitCode.Ok,
    );
    const events = checkJson
      .err()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; phase?: string });
    expect(events).toMatchObject([{ type: 'cli.ca-rotation', phase: 'trusting' }]);

    const finishFirst = io();
    expect(await runCli(['certs', 'rotate-ca', 'rotating.yaml', '--finish'], finishFirst)).toBe(
      ExitCode.Failure,
    );
    expect(finishFirst.err()).toContain('HAKOC_CA_ROTATION_PHASE');
    const early = io();
    expect(await runCli(['certs', 'rotate-ca', 'rotating.yaml', '--switch'], early)).toBe(
      ExitCode.Failure,
    );
    expect(early.err()).toContain('HAKOC_CA_ROTATION_OVERLAP');
    expect(early.err()).toContain('--force');

    const forced = io();
    expect(
      await runCli(['certs', 'rotate-ca', 'rotating.yaml', '--switch', '--force'], forced),
    ).toBe(ExitCode.Ok);
    expect(forced.err()).toContain('--force: taking the switch before');
    expect(forced.err()).toMatch(/reissued\s+apiserver/);
    expect(forced.err()).toContain('switched since');
    expect(forced.err()).toContain('then hakoc kubeconfig rotating.yaml (a client certificate');

    const finish = io();
    expect(
      await runCli(['certs', 'rotate-ca', 'rotating.yaml', '--finish', '--force'], finish),
    ).toBe(ExitCode.Ok);
    expect(finish.err()).toContain('CA rotation finished');
    expect(await kubeconfigCaCount()).toBe(1);
    expect(existsSync(join(cwd, 'rotating/retiring'))).toBe(false);

    const none = io();
    expect(await runCli(['certs', 'rotate-ca', 'rotating.yaml', '--finish'], none)).toBe(
      ExitCode.Failure,
    );
    expect(none.err()).toContain('HAKOC_CA_ROTATION_NONE');
  });

  it('refuses --switch with --finish, an unknown CA and a bad overlap as usage errors', async () => {
    for (const args of [
      ['--switch', '--finish'],
      ['--ca', 'apiserver'],
      ['--overlap', 'soon'],
    ]) {
      expect(
        await runCli(['certs', 'rotate-ca', 'rotating.yaml', ...args], io()),
        args.join(' '),
      ).toBe(ExitCode.Usage);
    }
  });
});
