import {
  assertValidLayout,
  isProjectFileName,
  layoutProblems,
  MACHINES_SCHEMA_VERSION,
  machinesDocument,
  renderMachinesJson,
  type VagrantClusterLayout,
} from '@hakoc/provider-vagrant';
import { describe, expect, it } from 'vitest';
import { sampleLayout } from './support/layouts.js';

const { layout } = sampleLayout();

describe('layoutProblems', () => {
  it('finds none in a well-formed layout', () => {
    expect(layoutProblems(layout)).toEqual([]);
    expect(() => assertValidLayout(layout)).not.toThrow();
  });

  it('reports every problem Vagrant would not, all at once', () => {
    const [first, second, ...rest] = layout.machines;
    if (first === undefined || second === undefined) throw new Error('sample too small');
    const broken: VagrantClusterLayout = {
      ...layout,
      clusterName: '',
      machines: [
        first,
        { ...second, name: first.name },
        { ...second, name: 'outside', ip: '10.0.0.5' },
        { ...second, name: 'broadcast', ip: '192.168.56.255' },
        { ...second, name: 'same-ip', ip: first.ip },
        { ...second, name: 'not-ip', ip: '192.168.56' },
        { ...second, name: 'tiny', ip: '192.168.56.200', memoryMb: 64, cpus: 0.5 },
        { ...second, name: 'escape', ip: '192.168.56.201', userData: '../secrets' },
        ...rest.filter((machine) => machine.role === 'controlPlane'),
      ],
      apiServers: [...layout.apiServers, { name: 'ghost', ip: '192.168.56.250' }],
    };
    expect(layoutProblems(broken)).toEqual([
      'clusterName is empty',
      'machine "lb" is defined twice',
      'machine "outside" has address 10.0.0.5, outside 192.168.56.0/24',
      'machine "broadcast" has address 192.168.56.255, the network or broadcast address of 192.168.56.0/24',
      'machine "same-ip" has the address of "lb"',
      'machine "not-ip" has address "192.168.56", not IPv4',
      'machine "tiny" has memoryMb 64; at least 256 is needed',
      'machine "tiny" has cpus 0.5; a whole number of at least 1 is needed',
      'machine "escape" has userData "../secrets", not a plain file name',
      'API server "ghost" at 192.168.56.250 is not a machine',
    ]);
    expect(() => assertValidLayout(broken)).toThrow(
      expect.objectContaining({ code: 'HAKOC_VAGRANT_LAYOUT_INVALID' }),
    );
  });

  it('reports a network that is not a CIDR', () => {
    expect(layoutProblems({ ...layout, network: '192.168.56.0' })).toEqual([
      'network "192.168.56.0" is not an IPv4 CIDR',
    ]);
  });

  it('allows only plain file names that are not the project’s own', () => {
    expect(['user-data-etcd-0', 'a.yaml', 'x_1'].filter(isProjectFileName)).toHaveLength(3);
    for (const name of [
      '',
      '.',
      '..',
      '.hidden',
      'a/b',
      'a\\b',
      'Vagrantfile',
      'machines.json',
      'a b',
    ]) {
      expect(isProjectFileName(name), name).toBe(false);
    }
  });
});

describe('machines.json', () => {
  it('holds the layout, the netmask and one hosts line per machine', () => {
    const document = machinesDocument(layout);
    expect(document).toMatchObject({
      schemaVersion: MACHINES_SCHEMA_VERSION,
      clusterName: 'demo',
      box: 'flatcar-stable',
      hypervisor: 'virtualbox',
      netmask: '255.255.255.0',
    });
    expect(document.hosts).toEqual(
      layout.machines.map((machine) => `${machine.ip} ${machine.name}`),
    );
    expect(document.machines).toEqual(layout.machines);
    expect(machinesDocument({ ...layout, network: '192.168.56.0/21' }).netmask).toBe(
      '255.255.248.0',
    );
  });

  it('is the same text for the same layout, however the objects were built', () => {
    const reordered: VagrantClusterLayout = {
      ...layout,
      machines: layout.machines.map(({ cpus, memoryMb, ip, role, name, ...rest }) => ({
        ...rest,
        cpus,
        memoryMb,
        ip,
        role,
        name,
      })),
    };
    expect(renderMachinesJson(reordered)).toBe(renderMachinesJson(layout));
    expect(renderMachinesJson(layout).endsWith('}\n')).toBe(true);
  });

  it('carries only the known fields of a machine', () => {
    const [first] = layout.machines;
    if (first === undefined) throw new Error('sample too small');
    const extra = { ...first, password: 'hunter2' };
    expect(renderMachinesJson({ ...layout, machines: [extra] })).not.toContain('hunter2');
  });
});
