import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ProviderError } from '@hakoc/core';
import type { VagrantClusterLayout } from './layout.js';
import { toProviderError, VAGRANT_PROVIDER_NAME } from './provider-error.js';
import type { VagrantCli } from './vagrant-cli.js';

type Hypervisor = VagrantClusterLayout['hypervisor'];

/** What {@link checkVagrantHost} found. */
export interface VagrantHostCheck {
  /** Installed Vagrant plugins, by name. */
  readonly plugins: readonly string[];
  /** The hypervisors Vagrant can drive here. */
  readonly hypervisors: readonly Hypervisor[];
}

/**
 * Checks that `vagrant` runs and that the hypervisor can be driven: VirtualBox needs
 * `VBoxManage` on the PATH (Vagrant's provider for it is built in), libvirt needs the
 * `vagrant-libvirt` plugin. With `hypervisor` unset, either one will do.
 *
 * @throws ProviderError (operation `preflight`, not retryable) naming what is missing
 */
export async function checkVagrantHost(
  cli: VagrantCli,
  options: {
    readonly hypervisor?: Hypervisor;
    readonly path?: string;
    readonly signal?: AbortSignal;
  },
): Promise<VagrantHostCheck> {
  let plugins: string[];
  try {
    // `plugin list` proves Vagrant starts (Ruby, gems, plugins load) and names the plugins.
    const result = await cli.run(
      ['plugin', 'list'],
      options.signal ? { signal: options.signal } : {},
    );
    plugins = result.records
      .filter((record) => record.type === 'plugin-name')
      .map((record) => record.data[0] ?? '');
  } catch (error) {
    throw toProviderError(error, { operation: 'preflight' });
  }
  const hypervisors: Hypervisor[] = [];
  if (await onPath('VBoxManage', options.path ?? process.env.PATH ?? ''))
    hypervisors.push('virtualbox');
  if (plugins.includes('vagrant-libvirt')) hypervisors.push('libvirt');
  const wanted = options.hypervisor;
  if (wanted === undefined ? hypervisors.length === 0 : !hypervisors.includes(wanted)) {
    throw new ProviderError(
      wanted === 'libvirt'
        ? 'The vagrant-libvirt plugin is not installed'
        : wanted === 'virtualbox'
          ? 'VirtualBox is not installed (no VBoxManage on the PATH)'
          : 'Vagrant has no hypervisor to drive: neither VirtualBox nor vagrant-libvirt is installed',
      {
        provider: VAGRANT_PROVIDER_NAME,
        operation: 'preflight',
        reason: 'invalid',
        retryable: false,
        hint:
          wanted === 'libvirt'
            ? 'Install it with `vagrant plugin install vagrant-libvirt` (or the distribution package).'
            : 'Install VirtualBox, or vagrant-libvirt and set provider.vagrant.hypervisor to libvirt.',
      },
    );
  }
  return { plugins, hypervisors };
}

async function onPath(program: string, path: string): Promise<boolean> {
  for (const dir of path.split(delimiter).filter((entry) => entry !== '')) {
    try {
      await access(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // Not in this directory: look in the next.
    }
  }
  return false;
}
