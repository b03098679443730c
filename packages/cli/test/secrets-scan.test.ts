import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadOrCreatePki } from '@hakoc/certs';
import { buildClusterModel, loadClusterSpec, pkiRequestFor } from '@hakoc/core';
import type { GceEmulator } from '@hakoc/provider-gce/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordReliability } from '../../core/test/reliability/support/results.js';
import { runCli } from '../src/run-cli.js';
import { captureIo } from './capture-io.js';
import { startCrashEmulator, writeExampleSpec } from './crash-harness.js';

// Every command of hakoc run with a known passphrase on a cluster whose private keys and
// bootstrap token are known, through success and failure, and everything they print or write
// scanned for those secrets: stdout and stderr of each command (progress, events and results,
// plain and --json, error messages with their causes), the plan file, the emulator's world (what
// a cloud would store: labels, descriptions, the lock record), render's manifest and
// certificates, and whatever reaches the process's own streams meanwhile (library warnings).
// Only the key store, the boot configs (which carry the keys their machine needs) and the
// kubeconfig (the admin's credential, by design) may hold them.

const PASSPHRASE = 'secrets scan passphrase 7f3a';
const SPEC = 'cluster.yaml';

let dir: string;
let emulator: GceEmulator;
const savedEnv = { ...process.env };

/** One thing scanned: where it came from, and its text. */
interface Scanned {
  readonly source: string;
  readonly text: string;
}
const scanned: Scanned[] = [];
const processOutput: string[] = [];
const realStdout = process.stdout.write.bind(process.stdout);
const realStderr = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hakoc-secrets-'));
  writeExampleSpec(dir);
  emulator = await startCrashEmulator(20261213);
  // The provider reads its endpoint from the environment, as a user's shell would set it.
  process.env.HAKOC_GCE_ENDPOINT = emulator.url;
  process.env.HAKOC_GCE_REQUESTS_PER_SECOND = '0';
  // Whatever a library prints behind the command's back is scanned too.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    processOutput.push(String(chunk));
    return realStdout(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    processOutput.push(String(chunk));
    return realStderr(chunk, ...rest);
  }) as typeof process.stderr.write;
}, 60_000);

afterAll(async () => {
  process.stdout.write = realStdout;
  process.stderr.write = realStderr;
  for (const key of ['HAKOC_GCE_ENDPOINT', 'HAKOC_GCE_REQUESTS_PER_SECOND'] as const) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  await emulator?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Runs `hakoc ARGS` in-process; its output joins what is scanned. */
async function hakoc(
  args: readonly string[],
  passphrase = PASSPHRASE,
): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ cwd: dir, env: { HAKOC_PASSPHRASE: passphrase, NO_COLOR: '1' } });
  const code = await runCli(args, io);
  const name = `hakoc ${args.join(' ')}`;
  scanned.push({ source: `${name} (stdout)`, text: io.out() });
  scanned.push({ source: `${name} (stderr)`, text: io.err() });
  return { code, out: io.out(), err: io.err() };
}

function scanFile(path: string): void {
  scanned.push({ source: relative(dir, path), text: readFileSync(path, 'utf8') });
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The world as a cloud stores it, without instance metadata (the boot configs themselves). */
function worldWithoutBootConfigs(): string {
  const snapshot = JSON.parse(JSON.stringify(emulator.snapshot())) as unknown;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value).map(([key, item]): [string, unknown] =>
      key === 'items' && Array.isArray(item) && item.some(isUserData)
        ? [key, item.map((entry) => (isUserData(entry) ? { key: 'user-data' } : strip(entry)))]
        : [key, strip(item)],
    );
    return Object.fromEntries(entries);
  };
  return JSON.stringify(strip(snapshot));
}

function isUserData(entry: unknown): boolean {
  return (
    typeof entry === 'object' && entry !== null && (entry as { key?: unknown }).key === 'user-data'
  );
}

/** The secrets, and markers that give any private key or token away. */
interface Secrets {
  readonly literal: ReadonlyMap<string, string>;
}

async function knownSecrets(): Promise<Secrets> {
  const model = buildClusterModel(loadClusterSpec(readFileSync(join(dir, SPEC), 'utf8')));
  const { pki } = await loadOrCreatePki(join(dir, '.hakoc', 'demo', 'pki'), pkiRequestFor(model), {
    passphrase: PASSPHRASE,
  });
  const literal = new Map<string, string>([[PASSPHRASE, 'the passphrase']]);
  const keys: [string, string][] = [
    ...pki.certificates.map((c): [string, string] => [`${c.id}.key`, c.key.reveal()]),
    ['sa.key', pki.serviceAccount.privateKey.reveal()],
  ];
  for (const [name, pem] of keys) {
    // Every full line of the key's base64 body: any one of them printed is a leak.
    const lines = pem.split('\n').filter((line) => /^[A-Za-z0-9+/]{64}$/.test(line));
    expect(lines.length, name).toBeGreaterThan(0);
    lines.forEach((line, index) => {
      literal.set(line, `${name}, line ${index + 1}`);
    });
  }
  const token = pki.workerBootstrap.token;
  literal.set(token.secret.reveal(), 'the bootstrap token secret');
  literal.set(token.token.reveal(), 'the bootstrap token');
  return { literal };
}

/** Private-key blocks and bootstrap tokens, whoever's they are. */
const MARKERS: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/, 'a bootstrap token'],
];

const root = new URL('../../../', import.meta.url).pathname;

/** What the project publishes: documentation, examples and test snapshots of hakoc's output. */
function publishedFiles(): string[] {
  const wanted = (path: string) =>
    !path.includes('node_modules') &&
    !path.includes('/dist/') &&
    !path.startsWith(join(root, 'docs', 'api')) &&
    (/\.(md|snap)$/.test(path) || path.startsWith(join(root, 'examples')));
  const under = (folder: string) =>
    readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .filter(wanted);
  return [
    join(root, 'README.md'),
    ...under(join(root, 'docs')),
    ...under(join(root, 'examples')),
    ...readdirSync(join(root, 'packages')).flatMap((name) => under(join(root, 'packages', name))),
  ];
}

describe('secrets in what hakoc prints and writes', () => {
  it('are in no documentation, example or snapshot the project publishes', async () => {
    await recordReliability(
      {
        id: 'secrets-published',
        area: 'Secrets',
        test: 'Every Markdown file (README, docs, package READMEs), every file under examples/ and every test snapshot of the repository',
        unit: 'files',
        held: 'no PEM private-key block and nothing shaped like a bootstrap token',
        file: import.meta.url,
      },
      (cases) => {
        const found: string[] = [];
        for (const file of publishedFiles()) {
          const text = readFileSync(file, 'utf8');
          for (const [pattern, what] of MARKERS) {
            const match = pattern.exec(text)?.[0];
            if (match !== undefined) found.push(`${relative(root, file)}: ${what} (${match})`);
          }
          cases.add();
        }
        expect(found).toEqual([]);
      },
    );
  });

  it('shows no private key, bootstrap token or passphrase anywhere, in success and failure', async () => {
    await recordReliability(
      {
        id: 'secrets-scan',
        area: 'Secrets',
        test: 'Every hakoc command (validate, certs init/check/renew, render, plan, plan --json, plan --out, graph, apply of the plan and of the spec with --json, status, kubeconfig, destroy, lock break) on the example cluster with a known passphrase, plus failures: wrong passphrase, a damaged key, an apply whose group inserts are refused (ApplyError with provider causes, in text and --json), a second apply while locked',
        unit: 'outputs scanned',
        held: 'no passphrase, no line of any private key of the cluster, no bootstrap token or its secret, no PEM private-key block in any stdout, stderr, --json event, error, plan file, graph, render manifest or certificate, emulator world (labels, descriptions, lock record; instance metadata excluded) or process-level write; key files, boot configs and the kubeconfig are 0600 in 0700 folders',
        file: import.meta.url,
      },
      async (cases) => {
        expect((await hakoc(['validate', SPEC])).code).toBe(0);
        expect((await hakoc(['certs', 'init', SPEC])).code).toBe(0);
        const secrets = await knownSecrets();
        expect((await hakoc(['certs', 'check', '--dir', '.hakoc/demo/pki', '--json'])).code).toBe(
          0,
        );
        expect((await hakoc(['certs', 'check', '--dir', '.hakoc/demo/pki'])).code).toBe(0);
        expect((await hakoc(['render', SPEC, '--out', 'rendered'])).code).toBe(0);
        expect((await hakoc(['plan', SPEC])).code).toBe(0);
        expect((await hakoc(['plan', SPEC, '--json'])).code).toBe(0);
        expect((await hakoc(['plan', SPEC, '--out', 'plan.json'])).code).toBe(0);
        expect((await hakoc(['graph', SPEC])).code).toBe(0);
        expect((await hakoc(['graph', SPEC, '--format', 'dot'])).code).toBe(0);
        expect((await hakoc(['apply', 'plan.json', '--json'])).code).toBe(0);
        expect((await hakoc(['status', SPEC])).code).toBe(0);
        expect((await hakoc(['status', SPEC, '--json'])).code).toBe(0);
        expect((await hakoc(['apply', SPEC, '--auto-approve'])).code).toBe(0);
        expect((await hakoc(['kubeconfig', SPEC, '--out', 'kubeconfig'])).code).toBe(0);
        expect((await hakoc(['certs', 'renew', SPEC, '--dir', '.hakoc/demo/pki'])).code).toBe(0);
        scanFile(join(dir, 'plan.json'));
        for (const file of filesUnder(join(dir, 'rendered'))) {
          if (!file.endsWith('.ign')) scanFile(file);
        }

        // Failures: their messages, causes and hints are printed.
        const wrong = await hakoc(['plan', SPEC], 'not the passphrase of this store');
        expect(wrong.code).toBe(1);
        expect(wrong.err).toContain('HAKOC_KEYSTORE_PASSPHRASE');
        emulator.setFaults({
          rules: [
            {
              method: 'POST',
              pathPattern: 'instanceGroupManagers$',
              error: { status: 400, reason: 'invalid', message: 'refused by the scan' },
              times: Number.POSITIVE_INFINITY,
            },
          ],
        });
        expect((await hakoc(['destroy', SPEC, '--auto-approve'])).code).toBe(0);
        const failedText = await hakoc(['apply', SPEC, '--auto-approve']);
        const failedJson = await hakoc(['apply', SPEC, '--auto-approve', '--json']);
        expect(failedText.code).toBe(1);
        expect(failedJson.code).toBe(1);
        expect(failedJson.err).toContain('"type":"resource.failed"');
        emulator.setFaults({ rules: [] });
        const keyFile = join(dir, '.hakoc', 'demo', 'pki', 'apiserver.key');
        const key = readFileSync(keyFile, 'utf8');
        writeFileSync(keyFile, key.slice(0, key.length / 2));
        const damaged = await hakoc(['apply', SPEC, '--auto-approve', '--json']);
        expect(damaged.code).toBe(1);
        writeFileSync(keyFile, key);
        expect((await hakoc(['destroy', SPEC, '--auto-approve', '--json'])).code).toBe(0);
        expect((await hakoc(['lock', 'break', SPEC, '--auto-approve'])).code).toBe(0);
        scanned.push({ source: 'the emulator world', text: worldWithoutBootConfigs() });
        scanned.push({ source: 'process stdout/stderr', text: processOutput.join('') });

        const leaks: string[] = [];
        for (const { source, text } of scanned) {
          for (const [secret, what] of secrets.literal) {
            const at = text.indexOf(secret);
            if (at >= 0)
              leaks.push(`${source}: ${what} in …${text.slice(Math.max(0, at - 300), at)}…`);
          }
          for (const [pattern, what] of MARKERS) {
            if (pattern.test(text)) leaks.push(`${source}: ${what} (${pattern.exec(text)?.[0]})`);
          }
          cases.add();
        }
        expect(leaks).toEqual([]);

        // Files that do hold secrets are private.
        const privateFiles = [
          ...filesUnder(join(dir, '.hakoc', 'demo', 'pki')).filter((f) => !f.includes('.lock')),
          ...filesUnder(join(dir, 'rendered')).filter((f) => f.endsWith('.ign')),
          join(dir, 'kubeconfig'),
        ];
        for (const file of privateFiles) {
          if (file.endsWith('.key') || file.endsWith('.ign') || file.endsWith('kubeconfig')) {
            expect((statSync(file).mode & 0o777).toString(8), relative(dir, file)).toBe('600');
          }
        }
        expect((statSync(join(dir, '.hakoc', 'demo', 'pki')).mode & 0o777).toString(8)).toBe('700');
        const bytes = scanned.reduce((sum, { text }) => sum + text.length, 0);
        cases.note(
          `${scanned.length} outputs, ${(bytes / 1024).toFixed(0)} KiB, checked against ${secrets.literal.size} known secret strings (every 64-character line of ${
            [...secrets.literal.values()].filter((v) => v.endsWith('line 1')).length
          } private keys, the token, the passphrase); ${privateFiles.length} private files checked for mode 0600`,
        );
      },
    );
  }, 600_000);
});
