import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An environment in which the real `vagrant` can run but cannot reach anything: its home and
 * state in the test's temporary directory, no version check-in with HashiCorp, box lookups and
 * proxies pointed at a closed loopback port, and libvirt pointed at a socket that does not
 * exist — so even on a machine with libvirtd running no VM is ever created.
 */
export async function isolatedVagrantEnv(dir: string): Promise<Record<string, string>> {
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  const closed = 'http://127.0.0.1:9';
  return {
    HOME: home,
    VAGRANT_HOME: join(home, '.vagrant.d'),
    VAGRANT_CHECKPOINT_DISABLE: '1',
    VAGRANT_BOX_UPDATE_CHECK_DISABLE: '1',
    VAGRANT_SERVER_URL: closed,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    VAGRANT_DEFAULT_PROVIDER: 'libvirt',
    LIBVIRT_DEFAULT_URI: `qemu+unix:///system?socket=${join(dir, 'no-libvirtd.sock')}`,
  };
}
