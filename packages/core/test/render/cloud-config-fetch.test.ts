import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BootRemoteFile, parseCloudConfig, renderCloudConfig } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../support/real-tools.js';
import { type SysextRelease, serveSysextRelease } from './sysext-release.js';

// cloud-config has no remote files: its renderer turns each into a fetch unit. Here that unit's
// command runs for real (bash, curl, sha256sum) against a loopback release, with the target
// moved into a scratch folder: it must install the genuine file and refuse a tampered one.

let release: SysextRelease;
beforeAll(async () => {
  release = await serveSysextRelease('1.37.1');
});
afterAll(async () => {
  await release?.server.close();
});

/** The ExecStart of the fetch unit for `file`, as bash arguments (systemd's `$$` undone). */
function fetchCommand(file: BootRemoteFile): string[] {
  const text = renderCloudConfig({ files: [], units: [], remoteFiles: [file] });
  const unit = parseCloudConfig(text);
  expect(unit.remoteFiles).toEqual([file]);
  const contents = text.match(/ExecStart=\/usr\/bin\/bash -c '(.*)' fetch (.*)$/m);
  if (!contents?.[1] || !contents[2]) throw new Error('no fetch command');
  const literal = (s: string) => s.replaceAll('$$', '$').replaceAll('%%', '%');
  return ['-c', literal(contents[1]), 'fetch', ...contents[2].split(' ').map(literal)];
}

describe('the cloud-config fetch unit', () => {
  const path = () => join(mkdtempSync(join(tmpdir(), 'hakoc-fetch-')), 'opt', 'k.raw');
  const url = (prefix: string) =>
    `${release.server.baseUrl}${prefix}/kubernetes-v1.37.1/kubernetes-v1.37.1-x86-64.raw`;

  it('installs the file when its SHA-256 matches the pin', () => {
    const target = path();
    const args = fetchCommand({ path: target, url: url(''), sha256: release.sha256, mode: 0o644 });
    const result = spawnSync(requireTool('bash'), args, { encoding: 'utf8', timeout: 30_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(new Uint8Array(readFileSync(target))).toEqual(release.artifact);
  });

  it('refuses a tampered file and leaves nothing behind', () => {
    const target = path();
    const args = fetchCommand({
      path: target,
      url: url('/tampered'),
      sha256: release.sha256,
      mode: 0o644,
    });
    const result = spawnSync(requireTool('bash'), args, { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SHA-256 mismatch');
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.hakoc-fetch`)).toBe(false);
  });
});
