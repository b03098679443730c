import { chmod, lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readVagrantfileTemplate } from '@hakoc/provider-vagrant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, requireTool, run } from './support/tools.js';

// The Vagrantfile's /etc/hosts script, run by the real bash, sed and coreutils against a
// scratch root instead of a VM: the only change is the path of the hosts file.
describe('the /etc/hosts provisioning script', () => {
  let dir: string;
  let script: string;
  const lines = ['192.168.56.2 lb', '192.168.56.3 etcd-0', '192.168.56.6 controller-0'];
  const block = ['# BEGIN hakoc', ...lines, '# END hakoc'].join('\n');

  const runScript = async (root: string) => {
    const result = await run('bash', [
      '-c',
      script.replaceAll('/etc/hosts', `${root}/etc/hosts`),
      'hosts',
      ...lines,
    ]);
    expect(result.code, result.stderr).toBe(0);
    return readFile(join(root, 'etc', 'hosts'), 'utf8');
  };
  const scratchRoot = async (name: string) => {
    const root = join(dir, name);
    await mkdir(join(root, 'etc'), { recursive: true });
    return root;
  };

  beforeAll(async () => {
    await requireTool('bash', ['--version']);
    dir = await makeTempDir();
    const template = await readVagrantfileTemplate();
    const match = /HOSTS_SCRIPT = <<~'SHELL'\n([\s\S]*?)\nSHELL\n/.exec(template);
    if (match?.[1] === undefined) throw new Error('no HOSTS_SCRIPT in the Vagrantfile');
    script = match[1].replace(/^ {2}/gm, '');
  });
  afterAll(() => removeTempDir(dir));

  it('puts the block first, before a loopback entry for the machine, and keeps the rest', async () => {
    const root = await scratchRoot('plain');
    await writeFile(join(root, 'etc', 'hosts'), '127.0.0.1 localhost\n127.0.1.1 etcd-0\n');
    expect(await runScript(root)).toBe(`${block}\n127.0.0.1 localhost\n127.0.1.1 etcd-0\n`);
  });

  it('replaces its own block when run again instead of adding a second', async () => {
    const root = await scratchRoot('twice');
    await writeFile(join(root, 'etc', 'hosts'), '127.0.0.1 localhost\n');
    const once = await runScript(root);
    expect(await runScript(root)).toBe(once);
  });

  it('creates the file with localhost entries when there is none', async () => {
    const root = await scratchRoot('missing');
    expect(await runScript(root)).toBe(`${block}\n127.0.0.1 localhost\n::1 localhost\n`);
  });

  it('replaces a link into read-only /usr with a real file', async () => {
    const root = await scratchRoot('link');
    const shipped = join(root, 'usr-hosts');
    await writeFile(shipped, '127.0.0.1 localhost\n');
    await chmod(shipped, 0o444);
    await symlink(shipped, join(root, 'etc', 'hosts'));
    expect(await runScript(root)).toBe(`${block}\n127.0.0.1 localhost\n`);
    expect((await lstat(join(root, 'etc', 'hosts'))).isSymbolicLink()).toBe(false);
    expect(await readFile(shipped, 'utf8')).toBe('127.0.0.1 localhost\n');
  });
});
