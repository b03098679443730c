import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  errorExits,
  machineStatuses,
  parseMachineReadable,
  parseMachineReadableLine,
  unescapeMachineReadable,
} from '@hakoc/provider-vagrant';
import { describe, expect, it } from 'vitest';

// The fixtures are real output of the vagrant binary, captured by vagrant-real.test.ts (see
// fixtures/README.md); none is written by hand.
const fixture = (name: string) => readFile(join(import.meta.dirname, 'fixtures', name), 'utf8');
const machines = [
  'lb',
  'etcd-0',
  'etcd-1',
  'etcd-2',
  'controller-0',
  'controller-1',
  'controller-2',
  'worker-0',
  'worker-1',
];

describe('parseMachineReadableLine', () => {
  it('splits timestamp, target, type and data', () => {
    expect(parseMachineReadableLine('1795758856,etcd-0,metadata,provider,libvirt')).toEqual({
      timestamp: 1795758856,
      target: 'etcd-0',
      type: 'metadata',
      data: ['provider', 'libvirt'],
    });
  });

  it('undoes the comma, newline and carriage-return escapes per field', () => {
    const record = parseMachineReadableLine('1,,ui,info,a%!(VAGRANT_COMMA) b\\nc\\r\\nd,second');
    expect(record?.data).toEqual(['info', 'a, b\nc\r\nd', 'second']);
    expect(unescapeMachineReadable('%!(VAGRANT_COMMA)%!(VAGRANT_COMMA)')).toBe(',,');
  });

  it('keeps empty fields and a record without data', () => {
    expect(parseMachineReadableLine('1,,ui,info,')?.data).toEqual(['info', '']);
    expect(parseMachineReadableLine('1,m,state')?.data).toEqual([]);
  });

  it('drops a trailing carriage return of the line itself', () => {
    expect(parseMachineReadableLine('1,m,state,running\r')?.data).toEqual(['running']);
  });

  it('refuses lines that are not records', () => {
    for (const line of [
      '',
      'Vagrant failed to initialize at a very early stage:',
      'x,m,state,running',
      '12,m',
      '12,m,',
    ]) {
      expect(parseMachineReadableLine(line), line).toBeUndefined();
    }
  });
});

describe('the captured real output', () => {
  it('status: every machine not created on libvirt, with the human sentence', async () => {
    const { records, otherLines } = parseMachineReadable(
      await fixture('status-libvirt-not-created.txt'),
    );
    expect(otherLines).toEqual([]);
    const statuses = machineStatuses(records);
    expect(statuses.map((status) => status.name)).toEqual(machines);
    for (const status of statuses) {
      expect(status).toEqual({
        name: status.name,
        state: 'not_created',
        provider: 'libvirt',
        description: 'The Libvirt domain is not created. Run `vagrant up` to create it.',
      });
    }
    // The closing summary is one record whose escapes restore a multi-line text with a comma.
    const summary = records.at(-1);
    expect(summary?.type).toBe('ui');
    expect(summary?.data[1]).toContain('\nlb                        not created (libvirt)\n');
    expect(summary?.data[1]).toContain(
      'For more information about a specific\nVM, run `vagrant status NAME`.',
    );
  });

  it('validate: a success message and one metadata record per machine', async () => {
    const { records } = parseMachineReadable(await fixture('validate-ok.txt'));
    expect(
      records.filter((record) => record.type === 'metadata').map((record) => record.target),
    ).toEqual(machines);
    expect(records.at(-1)?.data).toEqual(['info', 'Vagrantfile validated successfully.']);
    expect(errorExits(records)).toEqual([]);
    expect(machineStatuses(records)).toEqual([]);
  });

  it('validate of a broken layout: the error class and the whole message', async () => {
    const { records } = parseMachineReadable(await fixture('validate-config-invalid.txt'));
    const [exit, ...more] = errorExits(records);
    expect(more).toEqual([]);
    expect(exit?.errorType).toBe('Vagrant::Errors::ConfigInvalid');
    expect(exit?.message).toBe(
      'There are errors in the configuration of this machine. Please fix\nthe following errors and try again:\n\nvm:\n' +
        "* The hostname set for the VM 'worker_0' should only contain letters, numbers,\nhyphens or dots. It cannot start with a hyphen or dot.\n\n",
    );
  });

  it('up without a reachable hypervisor: an action start, then error-exit', async () => {
    const { records } = parseMachineReadable(await fixture('up-libvirt-unreachable.txt'));
    expect(records.find((record) => record.type === 'action')).toMatchObject({
      target: 'worker-1',
      data: ['up', 'start'],
    });
    const [exit] = errorExits(records);
    expect(exit?.errorType).toBe(
      'VagrantPlugins::ProviderLibvirt::Errors::FogLibvirtConnectionError',
    );
    expect(exit?.message.split('\n')).toHaveLength(2);
    expect(exit?.message).toMatch(
      /^Error while connecting to Libvirt: .*\nCall to virConnectOpen failed: /,
    );
  });

  it('halt of a machine never created: start and end of the action', async () => {
    const { records } = parseMachineReadable(await fixture('halt-not-created.txt'));
    expect(
      records.filter((record) => record.type === 'action').map((record) => record.data),
    ).toEqual([
      ['halt', 'start'],
      ['halt', 'end'],
    ]);
  });

  it('keeps non-record lines apart instead of failing', () => {
    const { records, otherLines } = parseMachineReadable(
      'warning: plugin is old\n1,m,state,running\n\n',
    );
    expect(records).toHaveLength(1);
    expect(otherLines).toEqual(['warning: plugin is old']);
  });
});
