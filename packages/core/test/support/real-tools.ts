// Runs the real tools that judge boot configs: ignition-validate, the Ignition binary and
// systemd-analyze. A missing tool fails the test with the Debian package to install; it never
// skips (CI installs them).
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  cpSync,
  mkdirSync,
  mkdtempSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** Where Debian's `ignition` package puts the Ignition binary (it is meant for the initramfs). */
export const IGNITION_BINARY = '/usr/lib/dracut/modules.d/30ignition/ignition';

const DEBIAN_PACKAGE: Record<string, string> = {
  'ignition-validate': 'ignition',
  [IGNITION_BINARY]: 'ignition',
  'systemd-analyze': 'systemd',
  etcd: 'etcd-server',
  etcdctl: 'etcd-client',
  openssl: 'openssl',
  iptables: 'iptables',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  ip: 'iproute2',
};

/** The absolute path of a tool, or an error naming the package that provides it. */
export function requireTool(tool: string): string {
  const candidates = tool.startsWith('/')
    ? [tool]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, tool));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `real tool ${tool} is missing: install the Debian package ${DEBIAN_PACKAGE[tool] ?? tool} (.ci/run does)`,
  );
}

/** Output and exit status of a finished command. */
export interface ToolResult {
  readonly status: number | null;
  readonly output: string;
}

function runTool(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ToolResult {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hakoc-${prefix}-`));
}

/** `ignition-validate` on a config. It exits 0 on warnings, so callers treat any output as failure. */
export function ignitionValidate(config: string): ToolResult {
  const file = join(scratchDir('ignition-validate'), 'config.ign');
  writeFileSync(file, config);
  return runTool(requireTool('ignition-validate'), [file]);
}

/** Accounts the scratch root knows, as `/etc/passwd` lines need them: name → numeric id. */
export type Accounts = Readonly<Record<string, number>>;

/**
 * Applies a config into a fresh scratch root with the real Ignition binary (stages
 * fetch-offline, then files), the way it runs in the initramfs, and returns the root.
 * Every path Ignition would otherwise write on the host (cache, state, flags) is redirected
 * into the scratch folder, so parallel runs cannot collide.
 */
export function applyIgnition(
  config: string,
  accounts: Accounts = {},
): { root: string; log: string } {
  const ignition = requireTool(IGNITION_BINARY);
  const work = scratchDir('ignition');
  const root = join(work, 'root');
  mkdirSync(join(root, 'etc', 'selinux'), { recursive: true });
  // Ignition relabels what it wrote when SELinux is configured; a disabled policy keeps it a no-op.
  writeFileSync(join(root, 'etc', 'selinux', 'config'), 'SELINUX=disabled\nSELINUXTYPE=targeted\n');
  const users = Object.entries({ root: 0, ...accounts });
  writeFileSync(
    join(root, 'etc', 'passwd'),
    users.map(([n, id]) => `${n}:x:${id}:${id}::/:/sbin/nologin\n`).join(''),
  );
  writeFileSync(join(root, 'etc', 'group'), users.map(([n, id]) => `${n}:x:${id}:\n`).join(''));
  // The relabel step calls setfiles, which a machine without SELinux tools lacks.
  const stubs = join(work, 'stubs');
  mkdirSync(stubs);
  writeFileSync(join(stubs, 'setfiles'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(stubs, 'setfiles'), 0o755);
  const configFile = join(work, 'config.ign');
  writeFileSync(configFile, config);
  const env = {
    ...process.env,
    IGNITION_CONFIG_FILE: configFile,
    PATH: `${stubs}${delimiter}${process.env.PATH ?? ''}`,
  };
  let log = '';
  for (const stage of ['fetch-offline', 'files']) {
    const result = runTool(
      ignition,
      [
        '-platform',
        'file',
        '-root',
        root,
        '-stage',
        stage,
        '-log-to-stdout',
        '-config-cache',
        join(work, 'ignition.json'),
        '-state-file',
        join(work, 'state'),
        '-neednet',
        join(work, 'neednet'),
      ],
      env,
    );
    log += result.output;
    if (result.status !== 0) throw new Error(`ignition stage ${stage} failed:\n${result.output}`);
  }
  return { root, log };
}

/**
 * `systemd-analyze verify` of units inside a root: the host's unit directory is copied in (so
 * `After=`/`Wants=` on standard units resolve) and every executable the units name must exist
 * in the root — pass stubs for binaries the OS image provides.
 */
export function systemdVerify(
  root: string,
  units: readonly string[],
  executables: readonly string[],
): ToolResult {
  const analyze = requireTool('systemd-analyze');
  cpSync('/usr/lib/systemd/system', join(root, 'usr', 'lib', 'systemd', 'system'), {
    recursive: true,
  });
  for (const executable of executables) {
    const target = join(root, executable);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, '#!/bin/sh\nexit 0\n');
    chmodSync(target, 0o755);
  }
  return runTool(analyze, ['verify', '--man=no', `--root=${root}`, ...units]);
}
