import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signingCaFile } from '@hakoc/certs';
import {
  KUBELET_CLIENT_CERTIFICATE_SCRIPT_TEXT,
  NODE_ENVIRONMENT_SCRIPT_TEXT,
  WAIT_FOR_SCRIPT_TEXT,
} from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { exampleModel, pkiFor } from '../render/fixtures.js';
import { requireTool } from '../support/real-tools.js';

// The helper scripts the configs ship, run for real with bash (and openssl), with only the
// machine-specific commands (`ip`, `uname`) replaced by stand-ins on PATH.

const bash = requireTool('bash');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'hakoc-script-'));
}

function script(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

describe('node-environment', () => {
  // What `ip -4 -o address show scope global` prints on a Vagrant VM: NAT first.
  const vagrantAddresses = [
    '2: eth0    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic eth0\\       valid_lft 86391sec',
    '3: eth1    inet 192.168.56.9/24 brd 192.168.56.255 scope global eth1\\       valid_lft forever',
  ].join('\n');

  function runWith(addresses: string, cidr: string, attempts: number) {
    const dir = scratch();
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    script(bin, 'ip', `#!/bin/sh\ncat <<'EOF'\n${addresses}\nEOF\n`);
    script(bin, 'uname', '#!/bin/sh\necho Demo-Worker-0.c.project.internal\n');
    script(bin, 'sleep', '#!/bin/sh\nexit 0\n');
    const out = join(dir, 'run', 'node.env');
    const result = spawnSync(
      bash,
      [script(dir, 'node-environment', NODE_ENVIRONMENT_SCRIPT_TEXT), cidr, out, String(attempts)],
      {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
        timeout: 10_000,
      },
    );
    return { result, out };
  }

  it('picks the private-network interface, never the NAT eth0', () => {
    const { result, out } = runWith(vagrantAddresses, '192.168.56.0/24', 3);
    expect(result.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      'NODE_IP=192.168.56.9\nNODE_INTERFACE=eth1\nNODE_NAME=demo-worker-0\n',
    );
  });

  it('gives up after its attempts when no interface is in the network', () => {
    const { result } = runWith(vagrantAddresses, '172.16.0.0/12', 3);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no interface has an IPv4 address in 172.16.0.0/12');
  });
});

describe('wait-for', () => {
  const waitFor = script(scratch(), 'wait-for', WAIT_FOR_SCRIPT_TEXT);

  it('returns as soon as a TCP port answers', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await new Promise<number | null>((resolve) => {
      execFile(
        bash,
        [waitFor, 'tcp', '127.0.0.1', String(port), '10'],
        { timeout: 15_000 },
        (error) => resolve(error ? (typeof error.code === 'number' ? error.code : -1) : 0),
      );
    });
    server.close();
    expect(result).toBe(0);
  });

  it('fails within its bound when nothing answers', () => {
    const started = Date.now();
    const result = spawnSync(bash, [waitFor, 'tcp', '127.0.0.1', '1', '2'], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('gave up waiting for 127.0.0.1:1 after 2 s');
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe('kubelet-client-certificate', () => {
  it('issues system:node:<name> in system:nodes from the cluster CA, once', async () => {
    const openssl = requireTool('openssl');
    const pki = await pkiFor(exampleModel('vagrant'));
    const dir = scratch();
    writeFileSync(join(dir, 'ca.crt'), pki.ca.certificate);
    writeFileSync(join(dir, signingCaFile), pki.ca.certificate);
    writeFileSync(join(dir, 'ca.key'), pki.ca.key.reveal(), { mode: 0o600 });
    const out = join(dir, 'kubelet');
    const issue = script(dir, 'issue', KUBELET_CLIENT_CERTIFICATE_SCRIPT_TEXT);
    const first = spawnSync(bash, [issue, 'demo-controller-0', dir, out, '365'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(first.status, first.stderr).toBe(0);
    const pem = join(out, 'kubelet-client-current.pem');
    const verify = spawnSync(
      openssl,
      ['verify', '-CAfile', join(dir, 'ca.crt'), '-purpose', 'sslclient', pem],
      {
        encoding: 'utf8',
      },
    );
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    const subject = spawnSync(
      openssl,
      ['x509', '-in', pem, '-noout', '-subject', '-nameopt', 'RFC2253'],
      {
        encoding: 'utf8',
      },
    );
    expect(subject.stdout.trim()).toBe('subject=CN=system:node:demo-controller-0,O=system:nodes');
    const before = readFileSync(pem, 'utf8');
    expect(before).toContain('PRIVATE KEY');
    spawnSync(bash, [issue, 'demo-controller-0', dir, out, '365'], { timeout: 20_000 });
    expect(readFileSync(pem, 'utf8')).toBe(before);
  });
});
