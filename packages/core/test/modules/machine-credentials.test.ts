import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineFiles, signingCaFile } from '@hakoc/certs';
import {
  BOOTSTRAP_MANIFESTS_UNIT,
  componentImagesFor,
  type ModuleArtifacts,
  machinePaths,
  roleBootConfig,
} from '@hakoc/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_MANIFESTS_DONE,
  BOOTSTRAP_MANIFESTS_SCRIPT,
  BOOTSTRAP_MANIFESTS_SCRIPT_TEXT,
} from '../../src/modules/bootstrap-manifests.js';
import { certsModule } from '../../src/modules/certs.js';
import { exampleModel, pkiFor } from '../render/fixtures.js';
import { requireTool } from '../support/real-tools.js';

const model = exampleModel('vagrant');
let artifacts: ModuleArtifacts;

beforeAll(async () => {
  artifacts = {
    pki: await pkiFor(model),
    binaries: { source: 'image' },
    images: componentImagesFor(model, {}),
  };
});

const etcdMember = () => ({
  ...model.machineSets.etcd,
  machines: model.machineSets.etcd.machines.slice(0, 1),
});

describe('what each machine gets', () => {
  it('is exactly machineFiles from @hakoc/certs, at the machine paths', () => {
    const member = etcdMember();
    const cases = [
      [member, { role: 'etcd', member: member.machines[0]?.name ?? '' }],
      [model.machineSets.controlPlane, { role: 'control-plane' }],
      [model.machineSets.workers, { role: 'worker' }],
    ] as const;
    for (const [set, role] of cases) {
      const files = certsModule(model, set, artifacts).files ?? [];
      const expected = machineFiles(artifacts.pki, role, {
        kubernetesDir: '/etc/kubernetes',
        etcdPkiDir: machinePaths.etcdPki,
      });
      expect(files.map((file) => [file.path, file.mode])).toEqual(
        expected.map((file) => [file.path, file.mode]),
      );
    }
    const etcdPaths = (certsModule(model, member, artifacts).files ?? []).map((file) => file.path);
    // What etcd-member.ts configures, and nothing else.
    expect(etcdPaths).toEqual(
      ['ca.crt', 'server.crt', 'server.key', 'peer.crt', 'peer.key'].map(
        (name) => `${machinePaths.etcdPki}/${name}`,
      ),
    );
  });

  it('never puts a system:masters credential in any boot config', () => {
    const superAdmin = artifacts.pki.kubeconfigs.superAdmin.reveal();
    const superAdminKey = artifacts.pki.clientCertificates.superAdmin.key.reveal();
    for (const set of [etcdMember(), model.machineSets.controlPlane, model.machineSets.workers]) {
      const config = roleBootConfig(model, set, artifacts);
      for (const file of config.files) {
        expect(file.path).not.toContain('super-admin');
        expect(file.contents).not.toContain(superAdminKey.trim().split('\n')[1]);
        expect(file.contents).not.toBe(superAdmin);
      }
    }
    const controller = roleBootConfig(model, model.machineSets.controlPlane, artifacts);
    const unit = controller.units.find((entry) => entry.name === BOOTSTRAP_MANIFESTS_UNIT);
    expect(unit?.contents).toContain(`ConditionPathExists=!${BOOTSTRAP_MANIFESTS_DONE}`);
    expect(unit?.contents).toContain(`ExecStart=${BOOTSTRAP_MANIFESTS_SCRIPT} `);
    expect(unit?.contents).not.toContain('super-admin');
  });
});

describe('bootstrap-manifests script', () => {
  const bash = requireTool('bash');
  const openssl = requireTool('openssl');

  /** Runs the script with a stand-in kubectl that checks the credential it is handed. */
  function runScript(kubectlExit: number) {
    const dir = mkdtempSync(join(tmpdir(), 'hakoc-bootstrap-'));
    const pki = join(dir, 'pki');
    mkdirSync(pki);
    writeFileSync(join(pki, 'ca.crt'), artifacts.pki.ca.certificate);
    writeFileSync(join(pki, signingCaFile), artifacts.pki.ca.certificate);
    writeFileSync(join(pki, 'ca.key'), artifacts.pki.ca.key.reveal(), { mode: 0o600 });
    const runtime = join(dir, 'run');
    mkdirSync(runtime, { mode: 0o700 });
    const seen = join(dir, 'seen');
    const kubectl = join(dir, 'kubectl');
    // The stand-in records its arguments, the certificate's subject, its validity, whether it
    // verifies against the CA, and the key file's mode.
    writeFileSync(
      kubectl,
      `#!/bin/bash
for arg in "$@"; do case $arg in --client-certificate=*) cert=\${arg#*=};; --client-key=*) key=\${arg#*=};; esac; done
{ echo "args $*"
  ${openssl} x509 -in "$cert" -noout -subject -nameopt RFC2253
  ${openssl} x509 -in "$cert" -noout -checkend 86400 >/dev/null && echo "outlives a day" || echo "expires within a day"
  ${openssl} x509 -in "$cert" -noout -checkend 86000 >/dev/null && echo "valid now"
  ${openssl} verify -CAfile ${pki}/ca.crt -purpose sslclient "$cert"
  stat -c 'key mode %a' "$key"; } >${seen}
exit ${kubectlExit}
`,
    );
    chmodSync(kubectl, 0o755);
    const script = join(dir, 'bootstrap-manifests');
    writeFileSync(script, BOOTSTRAP_MANIFESTS_SCRIPT_TEXT, { mode: 0o755 });
    const done = join(dir, 'state', 'done');
    const result = spawnSync(
      bash,
      [
        script,
        kubectl,
        pki,
        'https://127.0.0.1:6443',
        join(dir, 'addons'),
        'hakoc-bootstrap',
        done,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, RUNTIME_DIRECTORY: runtime },
        timeout: 20_000,
      },
    );
    const report = existsSync(seen) ? spawnSync('cat', [seen], { encoding: 'utf8' }).stdout : '';
    return { result, report, done, leftovers: readdirSync(runtime) };
  }

  it('applies with a one-day system:masters certificate from the cluster CA, then removes it', () => {
    const { result, report, done, leftovers } = runScript(0);
    expect(result.status, result.stderr).toBe(0);
    expect(report).toContain('subject=CN=hakoc:bootstrap-manifests,O=system:masters');
    expect(report).toContain('expires within a day');
    expect(report).toContain('valid now');
    expect(report).toMatch(/: OK/);
    expect(report).toContain('key mode 600');
    expect(report).toContain(
      'apply --server-side --force-conflicts --field-manager=hakoc-bootstrap',
    );
    expect(report).toContain('--kubeconfig=/dev/null --server=https://127.0.0.1:6443');
    expect(leftovers).toEqual([]);
    expect(existsSync(done)).toBe(true);
  });

  it('removes the credential and marks nothing done when the apply fails', () => {
    const { result, done, leftovers } = runScript(1);
    expect(result.status).not.toBe(0);
    expect(leftovers).toEqual([]);
    expect(existsSync(done)).toBe(false);
  });
});
