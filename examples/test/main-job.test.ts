import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The README's first command exactly as written, `npm start` (after the build that `npm test`
// has already done, so bootstrap finds everything ready): twice, the second time finding the
// first run's cluster.
const root = new URL('../..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'hakoc-main-job-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function mainJob() {
  const result = spawnSync('npm', ['start'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HAKOC_OUT: out, HAKOC_PASSPHRASE: 'main job test passphrase', CI: '1' },
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The `user-data` of every instance the emulator holds, by instance name. */
function instanceUserData(): Map<string, string> {
  const { resources } = JSON.parse(readFileSync(join(out, 'gce-emulator.json'), 'utf8')) as {
    resources: Record<string, { metadata?: { items?: { key: string; value: string }[] } }>;
  };
  const found = new Map<string, string>();
  for (const [path, resource] of Object.entries(resources)) {
    const name = /\/zones\/[^/]+\/instances\/([^/]+)$/.exec(path)?.[1];
    const userData = resource.metadata?.items?.find((item) => item.key === 'user-data');
    if (name !== undefined && userData !== undefined) found.set(name, userData.value);
  }
  return found;
}

describe('the main job (npm start)', () => {
  it('renders the boot configs, applies the example HA cluster with them, then finds nothing to change', () => {
    const first = mainJob();
    expect(first.status, first.output).toBe(0);
    const created =
      /Applied in \S+: (\d+) created, 0 updated, 0 replaced, 0 deleted, 0 failed/.exec(
        first.output,
      )?.[1];
    expect(Number(created)).toBeGreaterThan(20);
    expect(first.output).toContain(
      `resources        ${created} created, 0 updated, 0 replaced, 0 deleted`,
    );
    expect(first.output).toMatch(
      /API endpoint {5}https:\/\/api\.k8s\.example\.com:6443 \(\d+\.\d+\.\d+\.\d+\)/,
    );
    expect(first.output).toMatch(/Done in \d+\.\d s/);
    // The example as it boots a pre-built image: offline, nothing to download at first boot.
    expect(readFileSync(join(out, 'cluster.yaml'), 'utf8')).toContain(
      readFileSync(join(root, 'examples/gce.yaml'), 'utf8'),
    );
    expect(first.output).toContain('booting the pre-built image hakoc-flatcar-kubernetes');
    for (const where of ['kubeconfig', 'pki', 'boot-configs', 'gce-emulator.json']) {
      expect(first.output).toContain(join(out, where));
    }
    expect(readFileSync(join(out, 'pki', 'ca.key'), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    expect(statSync(join(out, 'kubeconfig')).mode & 0o777).toBe(0o600);
    expect(first.output).not.toContain('main job test passphrase');
    expect(first.output).not.toMatch(/PRIVATE KEY-----|data:;base64/);

    // The boot configs hakoc render wrote are the ones the machines got: certificates only
    // under pki/, and every etcd member, controller and worker booting its rendered config.
    const boot = join(out, 'boot-configs');
    const manifest = JSON.parse(readFileSync(join(boot, 'manifest.json'), 'utf8')) as {
      configs: { name: string; ignition: string }[];
    };
    expect(readdirSync(join(boot, 'pki'), { recursive: true }).join(' ')).not.toMatch(/\.key\b/);
    const userData = instanceUserData();
    expect(userData.size).toBeGreaterThanOrEqual(8);
    for (const [instance, value] of userData) {
      // etcd members keep their names; group members are named by GCE after their group.
      const config =
        manifest.configs.find((entry) => entry.name === instance) ??
        manifest.configs.find((entry) => instance.startsWith(`${entry.name}-`));
      expect(config, instance).toBeDefined();
      expect(value, instance).toBe(readFileSync(join(boot, config?.ignition ?? ''), 'utf8'));
    }

    const second = mainJob();
    expect(second.status, second.output).toBe(0);
    expect(second.output).toContain('No changes.');
    expect(second.output).toMatch(/Applied in \S+: 0 created, 0 updated, 0 replaced, 0 deleted/);
    expect(second.output).toContain(`nothing to change: all ${created} exist as planned`);
    expect(existsSync(join(out, 'plan.json'))).toBe(true);
  }, 300_000);
});
