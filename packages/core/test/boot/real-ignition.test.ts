import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { renderIgnition } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { applyIgnition, ignitionValidate, systemdVerify } from '../support/real-tools.js';
import { binary, largeText, sampleBootConfig } from './sample-config.js';

// The real tools judge the renderer: Debian's ignition-validate, the Ignition binary writing a
// scratch root, and systemd-analyze on the units it wrote.
describe('Ignition output, checked by the real tools', () => {
  const config = renderIgnition(sampleBootConfig());

  it('passes ignition-validate with no output at all (warnings count as failures)', () => {
    expect(ignitionValidate(config)).toEqual({ status: 0, output: '' });
  });

  it('is rejected by ignition-validate when broken, so the check above can fail', () => {
    const broken = config.replace('"mode":384', '"mode":"0600"');
    expect(ignitionValidate(broken).status).not.toBe(0);
  });

  it('lands every file with its content, mode and owner, and enables the units', () => {
    const { root } = applyIgnition(config, { etcd: 232 });
    expect(readFileSync(join(root, 'etc/etcd/etcd.yaml'), 'utf8')).toContain('name: demo-etcd-0');
    expect(readFileSync(join(root, 'opt/hakoc/large.txt'), 'utf8')).toBe(largeText);
    expect(new Uint8Array(readFileSync(join(root, 'opt/hakoc/blob.bin')))).toEqual(binary);
    const key = statSync(join(root, 'etc/etcd/pki/server.key'));
    expect(key.mode & 0o777).toBe(0o600);
    expect([key.uid, key.gid]).toEqual([232, 232]);
    expect(statSync(join(root, 'opt/hakoc/blob.bin')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(root, 'etc/systemd/system/etcd-member.service'), 'utf8')).toContain(
      'ExecStart=/usr/bin/etcd',
    );
    expect(
      readFileSync(
        join(root, 'etc/systemd/system/systemd-timesyncd.service.d/10-hakoc.conf'),
        'utf8',
      ),
    ).toContain('time sync');
    const preset = readFileSync(join(root, 'etc/systemd/system-preset/20-ignition.preset'), 'utf8');
    expect(preset).toContain('enable etcd-member.service');
  });

  it('writes units that systemd-analyze verifies cleanly', () => {
    const { root } = applyIgnition(config, { etcd: 232 });
    expect(systemdVerify(root, ['etcd-member.service'], ['/usr/bin/etcd'])).toEqual({
      status: 0,
      output: '',
    });
  });

  it('has units systemd-analyze would reject when wrong, so the check above can fail', () => {
    const { root } = applyIgnition(config, { etcd: 232 });
    const result = systemdVerify(root, ['etcd-member.service'], []);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('/usr/bin/etcd is not executable');
  });
});
