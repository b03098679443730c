import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readVagrantfileTemplate, writeVagrantProject } from '@hakoc/provider-vagrant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleLayout } from './support/layouts.js';
import { makeTempDir, removeTempDir } from './support/tools.js';

const { layout, files } = sampleLayout();

describe('writeVagrantProject', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeTempDir(dir));

  it('writes the Vagrantfile verbatim, machines.json and every file, and returns the paths', async () => {
    const root = join(dir, 'one');
    const paths = await writeVagrantProject(root, layout, { ...files, 'haproxy.cfg': 'global\n' });
    expect(paths.dir).toBe(root);
    expect(await readFile(paths.vagrantfile, 'utf8')).toBe(await readVagrantfileTemplate());
    expect(JSON.parse(await readFile(paths.machinesJson, 'utf8'))).toMatchObject({
      schemaVersion: 2,
      clusterName: 'demo',
    });
    expect(Object.keys(paths.files).sort()).toEqual([...Object.keys(files), 'haproxy.cfg'].sort());
    for (const [name, path] of Object.entries(paths.files)) {
      expect(path).toBe(join(root, name));
      expect(await readFile(path, 'utf8')).toBe(name === 'haproxy.cfg' ? 'global\n' : files[name]);
    }
    // Only the project's files: no temporary file is left behind.
    expect((await readdir(root)).sort()).toEqual(
      ['Vagrantfile', 'haproxy.cfg', 'machines.json', ...Object.keys(files)].sort(),
    );
  });

  it('keeps user-data readable by the owner only, and the directory too', async () => {
    const paths = await writeVagrantProject(join(dir, 'modes'), layout, files);
    expect((await stat(paths.dir)).mode & 0o777).toBe(0o700);
    for (const path of Object.values(paths.files))
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.vagrantfile)).mode & 0o777).toBe(0o644);
  });

  it('replaces the files of an earlier render', async () => {
    const root = join(dir, 'again');
    await writeVagrantProject(root, layout, files);
    await writeFile(join(root, 'machines.json'), 'stale');
    const changed = { ...layout, box: 'flatcar-beta' };
    const paths = await writeVagrantProject(root, changed, files);
    expect(JSON.parse(await readFile(paths.machinesJson, 'utf8')).box).toBe('flatcar-beta');
  });

  it('refuses a missing user-data file, an unsafe file name and a broken layout, writing nothing', async () => {
    const { 'user-data-etcd-0': _dropped, ...withoutOne } = files;
    const cases = [
      [layout, withoutOne, /user-data "user-data-etcd-0" of "etcd-0" is not among the files/],
      [layout, { ...files, '../x': '' }, /file name "..\/x" is not a plain file name/],
      [layout, { ...files, Vagrantfile: '' }, /file name "Vagrantfile" is not a plain file name/],
      [{ ...layout, network: 'nope' }, files, /not an IPv4 CIDR/],
    ] as const;
    for (const [index, [input, inputFiles, message]] of cases.entries()) {
      const root = join(dir, `refused-${index}`);
      await expect(writeVagrantProject(root, input, inputFiles)).rejects.toMatchObject({
        code: 'HAKOC_VAGRANT_LAYOUT_INVALID',
        message: expect.stringMatching(message),
      });
      await expect(stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });
});

describe('the Vagrantfile template', () => {
  it('reads machines.json with a JSON parser and builds no Ruby from data', async () => {
    const template = await readVagrantfileTemplate();
    expect(template).toContain('JSON.parse(File.read(MACHINES_JSON))');
    expect(template).not.toMatch(/\beval\b|instance_eval|class_eval/);
  });

  it('puts cluster traffic on the private network and keeps the project out of the machines', async () => {
    const template = await readVagrantfileTemplate();
    expect(template).toContain(
      "node.vm.network :private_network, ip: machine['ip'], netmask: cluster['netmask']",
    );
    expect(template).toContain("config.vm.synced_folder '.', '/vagrant', disabled: true");
    expect(template).toMatch(
      /node\.vm\.provider :virtualbox do \|vb\|[\s\S]*vb\.memory = machine\['memoryMb'\]/,
    );
    expect(template).toMatch(
      /node\.vm\.provider :libvirt do \|lv\|[\s\S]*lv\.memory = machine\['memoryMb'\]/,
    );
  });
});
