import type { BootConfigPart } from '../boot/index.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';
import { TMPFILES_UNIT, tmpfilesFile } from './tmpfiles.js';

/**
 * Where the kubelet, kubectl and the CNI plugins come from.
 *
 * - `image`: a pre-built image (`spec.image.name`) carries them in `/opt/kubernetes` (`bin/`
 *   and `cni/bin/`), as the old packer image did: nothing is downloaded.
 * - `sysext`: the Flatcar Kubernetes system extension (`kubernetes-vX.Y.Z-x86-64.raw`, kubelet,
 *   kubeadm, kubectl and CNI plugins inside) is fetched at first boot and verified against a
 *   SHA-256 pin the operator's machine resolved from the release's `SHA256SUMS`.
 */
export type KubernetesBinaries =
  | { readonly source: 'image' }
  | {
      readonly source: 'sysext';
      /** Kubernetes version, `X.Y.Z`. */
      readonly version: string;
      /** Where the `.raw` image is downloaded from. */
      readonly url: string;
      /** Its pinned SHA-256, lowercase hex. */
      readonly sha256: string;
    };

/** Where a pre-built image keeps the Kubernetes binaries. */
export const PREBUILT_KUBERNETES_DIR = '/opt/kubernetes';

/** The unit that merges the Kubernetes sysext (sysext source only). */
export const SYSEXT_UNIT = 'hakoc-kubernetes-sysext.service';

/** The CNI plugins the flannel CNI configuration delegates to, and the runtime's loopback. */
const CNI_PLUGINS = ['bridge', 'host-local', 'loopback', 'portmap'] as const;

/** File name of the Flatcar Kubernetes sysext image of `version` for x86-64. */
export function sysextFileName(version: string): string {
  return `kubernetes-v${version}-x86-64.raw`;
}

/** Directory of kubelet and kubectl on the machine. */
export function kubernetesBinDir(binaries: KubernetesBinaries): string {
  // The sysext is merged into /usr; /usr/bin is where its kubelet and kubectl appear.
  return binaries.source === 'image' ? `${PREBUILT_KUBERNETES_DIR}/bin` : '/usr/bin';
}

/** Directory the CNI plugins arrive in: read-only, so they are linked into {@link machinePaths.cniBin}. */
export function cniPluginSourceDir(binaries: KubernetesBinaries): string {
  // The Flatcar sysext has always put its CNI plugins in /usr/local/bin/cni.
  return binaries.source === 'image' ? `${PREBUILT_KUBERNETES_DIR}/cni/bin` : '/usr/local/bin/cni';
}

/** Units that must finish before anything runs a Kubernetes binary. */
export function binariesReadyUnits(binaries: KubernetesBinaries): string[] {
  return binaries.source === 'image' ? [TMPFILES_UNIT] : [TMPFILES_UNIT, SYSEXT_UNIT];
}

/** Puts the Kubernetes binaries in place: nothing for an image, the verified sysext otherwise. */
export const kubernetesBinariesModule: BootModule = (_model, _set, { binaries }) => {
  const links = CNI_PLUGINS.map((plugin) => ({
    link: `${machinePaths.cniBin}/${plugin}`,
    target: `${cniPluginSourceDir(binaries)}/${plugin}`,
  }));
  const cniDir = { directory: machinePaths.cniBin, mode: 0o755 };
  if (binaries.source === 'image') {
    return { files: [tmpfilesFile('kubernetes-binaries', [cniDir, ...links])] };
  }
  const raw = `/opt/extensions/kubernetes/${sysextFileName(binaries.version)}`;
  const part: BootConfigPart = {
    remoteFiles: [
      {
        path: raw,
        url: binaries.url,
        sha256: binaries.sha256,
        mode: 0o644,
        neededBy: [SYSEXT_UNIT],
      },
    ],
    files: [
      tmpfilesFile('kubernetes-binaries', [
        // systemd-sysext merges what /etc/extensions names; the link keeps the versioned file.
        { link: '/etc/extensions/kubernetes.raw', target: raw },
        cniDir,
        ...links,
      ]),
    ],
    units: [
      {
        name: SYSEXT_UNIT,
        enabled: true,
        contents: `[Unit]
Description=Merge the verified Kubernetes system extension into /usr
Requires=${TMPFILES_UNIT}
After=${TMPFILES_UNIT} systemd-sysext.service
AssertPathExists=${raw}

[Service]
Type=oneshot
RemainAfterExit=yes
# systemd-sysext.service may have run before the link existed (always so on cloud-config).
ExecStart=/usr/bin/systemd-sysext refresh

[Install]
WantedBy=multi-user.target
`,
      },
    ],
  };
  return part;
};
