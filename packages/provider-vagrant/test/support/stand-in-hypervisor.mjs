// The `hypervisor` mode of the stand-in `vagrant` (see stand-in-vagrant.mjs): a stateful
// Vagrant + hypervisor for the provider tests, which need `vagrant up` to succeed and no
// hypervisor runs here. It reads machines.json in the working directory as the generated
// Vagrantfile does, keeps VM state in the JSON file STAND_IN_STATE (shared by every project,
// like a real hypervisor), and writes Vagrant's own record of a created machine,
// .vagrant/machines/NAME/PROVIDER/id.
//
// Output: every record type and message below is the real Vagrant 2.3.4's. `status`, `halt` of
// a machine not created, `plugin list` and error-exit records follow the captures in
// ../fixtures/; the success paths of `up`, `halt` and `destroy` (no hypervisor to capture them
// from) use the record types Vagrant's machine.rb writes (`action,NAME,start|end`), the
// messages of its templates/locales/en.yml, and `ui` records targeted at the machine, as
// Vagrant's prefixed UI writes them.
//
// Faults: STAND_IN_STATE's `faults` { remaining, retryable } make the next up/halt/destroy
// fail before touching anything, with Vagrant's MachineActionLockedError (retryable) or
// VBoxManageError (final).
//
// Guests: `ssh NAME -c COMMAND -- -T` runs COMMAND "in" the VM and exits with its status, as
// the real `vagrant ssh -c` does (the command's output is raw, not machine-readable; the
// not-created and not-running errors are the real binary's, on stderr). It knows the commands
// the provider runs: the etcd member's health (healthy once `healthyAfterMs` have passed since
// the VM's last boot, only where the machine runs an etcd member), the API server's /readyz
// (controllers) and the member's leave unit (marks the VM `left`). STAND_IN_STATE's `guest` { healthyAfterMs,
// neverHealthy: [names], leaveFails: [names] } shapes the answers.
//
// STAND_IN_TIMELINE, when set, collects one JSON line per run: { argv, start, end, exit }, in
// milliseconds of the host's clock, so tests can tell which runs overlapped.
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

const startedAt = Date.now();
const statePath = process.env.STAND_IN_STATE ?? '';
const cwd = resolve(process.cwd());
const now = () => Math.floor(Date.now() / 1000);
const escapeField = (text) =>
  String(text).replaceAll(',', '%!(VAGRANT_COMMA)').replaceAll('\n', '\\n').replaceAll('\r', '\\r');
const out = (target, type, ...data) =>
  process.stdout.write(`${now()},${target},${type},${data.map(escapeField).join(',')}\n`);
const say = (target, message) =>
  out(target, 'ui', 'info', target ? `==> ${target}: ${message}` : message);

function fail(errorType, message) {
  out('', 'ui', 'error', message);
  out('', 'error-exit', errorType, message);
  process.exit(1);
}

// Several stand-ins run at once (parallel `up`): one at a time touches the state, through a
// lock directory. Bounded: about 20 s of 10 ms waits.
const lockDir = `${statePath}.lock`;
function withState(change) {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt += 1) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (attempt > 2000) throw new Error(`stand-in: ${lockDir} stays locked`);
      Atomics.wait(sleeper, 0, 0, 10);
    }
  }
  try {
    const state = existsSync(statePath)
      ? JSON.parse(readFileSync(statePath, 'utf8'))
      : { vms: {}, faults: { remaining: 0, retryable: true } };
    const result = change(state);
    // Through a rename: a stand-in stopped mid-write (a probe cut short) leaves the old state.
    writeFileSync(`${statePath}.${process.pid}`, JSON.stringify(state, null, 2));
    renameSync(`${statePath}.${process.pid}`, statePath);
    return result;
  } finally {
    rmdirSync(lockDir);
  }
}

function project() {
  if (!existsSync(join(cwd, 'Vagrantfile'))) {
    fail(
      'Vagrant::Errors::NoEnvironmentError',
      'A Vagrant environment or target machine is required to run this\ncommand. Run `vagrant init` to create a new Vagrant environment. Or%!(VAGRANT_COMMA)\nget an ID of a target machine from `vagrant global-status` to run\nthis command on. A final option is to change to a directory with a\nVagrantfile and to try again.',
    );
  }
  const machinesJson = join(cwd, 'machines.json');
  if (!existsSync(machinesJson)) {
    fail(
      'Vagrant::Errors::VagrantfileLoadError',
      `There was an error loading a Vagrantfile. The file being loaded\nand the error message are shown below.\n\nMessage: RuntimeError: ${machinesJson} is missing: render the project with hakoc before running vagrant`,
    );
  }
  return JSON.parse(readFileSync(machinesJson, 'utf8'));
}

const defaultProvider = (doc) => process.env.VAGRANT_DEFAULT_PROVIDER || doc.hypervisor;
const key = (name) => `${cwd}::${name}`;
const stopped = (provider) => (provider === 'libvirt' ? 'shutoff' : 'poweroff');
const LONG = {
  not_created:
    'The environment has not yet been created. Run `vagrant up` to\ncreate the environment. If a machine is not created%!(VAGRANT_COMMA) only the\ndefault provider will be shown. So if a provider is not listed%!(VAGRANT_COMMA)\nthen the machine is not created for that environment.',
  running:
    'The VM is running. To stop this VM%!(VAGRANT_COMMA) you can run `vagrant halt` to\nshut it down forcefully%!(VAGRANT_COMMA) or you can run `vagrant suspend` to simply\nsuspend the virtual machine. In either case%!(VAGRANT_COMMA) to restart it again%!(VAGRANT_COMMA)\nsimply run `vagrant up`.',
  poweroff: 'The VM is powered off. To restart the VM%!(VAGRANT_COMMA) simply run `vagrant up`',
};

function machineOf(doc, name) {
  const machine = doc.machines.find((entry) => entry.name === name);
  if (machine === undefined) {
    fail(
      'Vagrant::Errors::MachineNotFound',
      `The machine with the name '${name}' was not found configured for\nthis Vagrant environment.`,
    );
  }
  return machine;
}

function takeFault(action, name) {
  const fault = withState((state) => {
    if (state.faults.remaining <= 0) return undefined;
    state.faults.remaining -= 1;
    return { retryable: state.faults.retryable };
  });
  if (fault === undefined) return;
  if (fault.retryable) {
    fail(
      'Vagrant::Errors::MachineActionLockedError',
      `An action '${action}' was attempted on the machine '${name}'%!(VAGRANT_COMMA)\nbut another process is already executing an action on the machine.\nVagrant locks each machine for access by only one process at a time.\nPlease wait until the other Vagrant process finishes modifying this\nmachine%!(VAGRANT_COMMA) then try again.`,
    );
  }
  fail(
    'VagrantPlugins::ProviderVirtualBox::Errors::VBoxManageError',
    'There was an error while executing `VBoxManage`%!(VAGRANT_COMMA) a CLI used by Vagrant\nfor controlling VirtualBox. The command and stderr is shown below.\n\nCommand: ["import"%!(VAGRANT_COMMA) "-n"]\n\nStderr: VBoxManage: error: Appliance import failed',
  );
}

const idPath = (name, provider) => join(cwd, '.vagrant', 'machines', name, provider, 'id');
const [command, ...rest] = process.argv.slice(2).filter((arg) => arg !== '--machine-readable');
if (process.env.STAND_IN_TIMELINE) {
  process.on('exit', (code) => {
    const line = { argv: [command, ...rest], start: startedAt, end: Date.now(), exit: code };
    writeFileSync(process.env.STAND_IN_TIMELINE, `${JSON.stringify(line)}\n`, { flag: 'a' });
  });
}
// STAND_IN_LOG collects one line per run, so tests can count how often Vagrant was asked.
if (process.env.STAND_IN_LOG) {
  writeFileSync(process.env.STAND_IN_LOG, `${[command, ...rest].join(' ')}\n`, { flag: 'a' });
}
const option = (flag) => {
  const at = rest.indexOf(flag);
  return at === -1 ? undefined : rest[at + 1];
};
const target = rest.find((arg, index) => !arg.startsWith('-') && rest[index - 1] !== '--provider');

if (command === 'plugin') {
  if (process.env.STAND_IN_PLUGINS === 'none') out('', 'ui', 'info', 'No plugins installed.');
  else process.stdout.write(readFileSync(process.env.STAND_IN_PLUGIN_FIXTURE ?? '', 'utf8'));
} else if (command === 'status') {
  const doc = project();
  const vms = withState((state) => state.vms);
  for (const machine of doc.machines) {
    const vm = vms[key(machine.name)];
    out(machine.name, 'metadata', 'provider', vm?.provider ?? defaultProvider(doc));
  }
  for (const machine of doc.machines) {
    const vm = vms[key(machine.name)];
    const state = vm?.state ?? 'not_created';
    out(machine.name, 'provider-name', vm?.provider ?? defaultProvider(doc));
    out(machine.name, 'state', state);
    out(machine.name, 'state-human-short', state.replace('_', ' '));
    out(machine.name, 'state-human-long', LONG[state] ?? LONG.poweroff);
  }
  out('', 'ui', 'info', 'Current machine states:\n\n(stand-in)');
} else if (command === 'up') {
  const doc = project();
  const machine = machineOf(doc, target);
  const provider = option('--provider') ?? defaultProvider(doc);
  out(target, 'metadata', 'provider', provider);
  takeFault('up', target);
  out('', 'ui', 'info', `Bringing machine '${target}' up with '${provider}' provider...`);
  out(target, 'action', 'up', 'start');
  const created = withState((state) => {
    const vm = state.vms[key(target)];
    if (vm !== undefined && vm.provider !== provider) return 'other-provider';
    const fresh = vm === undefined;
    const next = vm ?? { id: randomUUID(), provider, provisioned: false };
    next.state = 'running';
    next.bootedAt = Date.now();
    next.memoryMb = machine.memoryMb;
    next.cpus = machine.cpus;
    if (fresh && !rest.includes('--no-provision')) {
      const userData = machine.userData ? readFileSync(join(cwd, machine.userData), 'utf8') : '';
      next.provisioned = true;
      next.userDataSha256 = createHash('sha256').update(userData).digest('hex');
    }
    state.vms[key(target)] = next;
    return fresh ? next.id : undefined;
  });
  if (created === 'other-provider') {
    fail(
      'Vagrant::Errors::ActiveMachineWithDifferentProvider',
      `An active machine was found with a different provider.`,
    );
  }
  if (created !== undefined) {
    mkdirSync(join(cwd, '.vagrant', 'machines', target, provider), { recursive: true });
    writeFileSync(idPath(target, provider), created);
    say(target, 'Importing base box...');
    say(target, 'Running provisioner: hosts (shell)...');
  } else {
    say(target, 'Booting VM...');
    say(target, 'Machine already provisioned. Run `vagrant provision` or use the `--provision`');
  }
  out(target, 'action', 'up', 'end');
} else if (command === 'halt' || command === 'destroy') {
  const doc = project();
  machineOf(doc, target);
  out(target, 'metadata', 'provider', defaultProvider(doc));
  takeFault(command, target);
  out(target, 'action', command, 'start');
  const vm = withState((state) => {
    const found = state.vms[key(target)];
    if (found === undefined) return undefined;
    if (command === 'halt') found.state = stopped(found.provider);
    else delete state.vms[key(target)];
    return found;
  });
  if (vm === undefined) say(target, 'VM not created. Moving on...');
  else if (command === 'halt') say(target, 'Attempting graceful shutdown of VM...');
  else {
    say(target, 'Destroying VM and associated drives...');
    rmSync(idPath(target, vm.provider), { force: true });
  }
  out(target, 'action', command, 'end');
} else if (command === 'ssh') {
  const doc = project();
  const machine = machineOf(doc, target);
  // Read without the lock (writes are atomic): probes are stopped at their deadline, and one
  // stopped while holding the lock would hold up every later run.
  const state = JSON.parse(readFileSync(statePath, 'utf8'));
  const vm = state.vms[key(target)];
  const guest = { healthyAfterMs: 0, neverHealthy: [], leaveFails: [], ...state.guest };
  // Vagrant writes these two errors on stderr only, even in machine-readable mode.
  if (vm === undefined) {
    process.stderr.write(
      'VM must be created before running this command. Run `vagrant up` first.\n',
    );
    process.exit(1);
  }
  if (vm.state !== 'running') {
    process.stderr.write(
      'VM must be running to open SSH connection. Run `vagrant up`\nto start the virtual machine.\n',
    );
    process.exit(1);
  }
  process.exitCode = runInGuest(option('-c') ?? '', machine, vm, guest);
} else if (command === 'validate') {
  project();
  out('', 'ui', 'info', 'Vagrantfile validated successfully.');
} else {
  fail('Vagrant::Errors::CLIInvalidUsage', `stand-in: ${command} is not stood in for`);
}

// COMMAND of `vagrant ssh NAME -c COMMAND`, in the VM of `machine`: its exit status.
function runInGuest(shell, machine, vm, guest) {
  const runsEtcd = machine.role === 'etcd' || (machine.extraAddresses ?? []).length > 0;
  if (shell.includes('etcdctl-member') && shell.includes('endpoint health')) {
    if (!runsEtcd) {
      process.stderr.write('sudo: /opt/hakoc/bin/etcdctl-member: command not found\n');
      return 1;
    }
    const healthy =
      !guest.neverHealthy.includes(machine.name) &&
      Date.now() - (vm.bootedAt ?? 0) >= guest.healthyAfterMs;
    if (!healthy) {
      process.stderr.write(
        '{"level":"warn","msg":"retrying of unary invoker failed"}\nhttps://127.0.0.1:2379 is unhealthy: failed to commit proposal: context deadline exceeded\nError: unhealthy cluster\n',
      );
      return 1;
    }
    process.stdout.write(
      'https://127.0.0.1:2379 is healthy: successfully committed proposal: took = 1.8ms\n',
    );
    return 0;
  }
  if (shell.includes('/readyz')) {
    if (machine.role !== 'controlPlane') {
      process.stderr.write(
        'curl: (7) Failed to connect to 127.0.0.1 port 6443 after 0 ms: Connection refused\n',
      );
      return 7;
    }
    process.stdout.write('ok\n');
    return 0;
  }
  if (shell.includes('systemctl start etcd-member-leave.service')) {
    if (!runsEtcd) {
      process.stderr.write(
        'Failed to start etcd-member-leave.service: Unit etcd-member-leave.service not found.\n',
      );
      return 5;
    }
    if (guest.leaveFails.includes(machine.name)) {
      process.stderr.write(
        'Job for etcd-member-leave.service failed because the control process exited with error code.\nSee "systemctl status etcd-member-leave.service" and "journalctl -xeu etcd-member-leave.service" for details.\n',
      );
      return 1;
    }
    withState((state) => {
      const found = state.vms[key(machine.name)];
      if (found !== undefined) found.left = true;
    });
    return 0;
  }
  process.stderr.write(`bash: line 1: ${shell.split(' ')[0]}: command not found\n`);
  return 127;
}
