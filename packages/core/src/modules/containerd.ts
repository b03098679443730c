import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

/** Where hakoc's containerd configuration goes (Flatcar's own stays in /usr/share/containerd). */
export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';

/**
 * containerd, the container runtime (docker is gone from Kubernetes). Flatcar ships and runs
 * it; the drop-in points it at our configuration, which the kubelet depends on: the systemd
 * cgroup driver (the kubelet's `cgroupDriver: systemd` must match), runc v2, the CNI
 * directories flannel writes to, and the pause image of this Kubernetes release.
 */
export const containerdModule: BootModule = (_model, _set, { images }) => ({
  files: [
    {
      path: CONTAINERD_CONFIG,
      mode: 0o644,
      contents: `# Written by hakoc. Version 2 is read by containerd 1.7 and migrated by 2.x.
version = 2

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${images.pause}"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true

[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "${machinePaths.cniBin}"
  conf_dir = "${machinePaths.cniConfig}"
`,
    },
  ],
  units: [
    {
      name: 'containerd.service',
      enabled: true,
      dropins: [
        {
          name: '10-hakoc.conf',
          // Flatcar's unit starts containerd with --config ${CONTAINERD_CONFIG}.
          contents: `[Service]\nEnvironment=CONTAINERD_CONFIG=${CONTAINERD_CONFIG}\n`,
        },
      ],
    },
  ],
});
