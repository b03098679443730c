import { Pod } from 'kubernetes-models/v1/Pod';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { MANAGED_LABELS } from './manifests.js';

/** A host directory or file a static pod mounts. */
export interface HostMount {
  /** Volume name. */
  readonly name: string;
  /** Host path, mounted at the same path in the container. */
  readonly path: string;
  /** Mounted read-only. */
  readonly readOnly: boolean;
  /** Whether the path is a file (mounted as `File`) rather than a directory. */
  readonly file?: boolean;
}

/** What differs between the control-plane static pods. */
export interface StaticPodInput {
  /** Pod and container name, e.g. `kube-apiserver`. */
  readonly name: string;
  /** Container image. */
  readonly image: string;
  /** The command and its flags. */
  readonly command: readonly string[];
  /** Host paths it mounts. */
  readonly mounts: readonly HostMount[];
  /** HTTPS port on 127.0.0.1 of the health endpoints. */
  readonly healthPort: number;
  /** Liveness path (`/livez` or `/healthz`). */
  readonly livenessPath: string;
  /** Readiness path; defaults to the liveness path. */
  readonly readinessPath?: string;
  /** CPU request, e.g. `250m`. */
  readonly cpu: string;
}

/**
 * A control-plane static pod the way kubeadm writes them: host network, node-critical
 * priority, read-only host mounts, and probes against the component's own health endpoints on
 * 127.0.0.1 (the kubelet probes from the host network).
 */
export function staticPod(input: StaticPodInput): Pod {
  const probe = (path: string, failureThreshold: number): IProbe => ({
    httpGet: { host: '127.0.0.1', path, port: input.healthPort, scheme: 'HTTPS' },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 15,
    failureThreshold,
  });
  return new Pod({
    metadata: {
      name: input.name,
      namespace: 'kube-system',
      labels: { component: input.name, tier: 'control-plane', ...MANAGED_LABELS },
    },
    spec: {
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: input.name,
          image: input.image,
          imagePullPolicy: 'IfNotPresent',
          command: [...input.command],
          resources: { requests: { cpu: input.cpu } },
          livenessProbe: probe(input.livenessPath, 8),
          readinessProbe: probe(input.readinessPath ?? input.livenessPath, 3),
          startupProbe: probe(input.livenessPath, 24),
          volumeMounts: input.mounts.map((mount) => ({
            name: mount.name,
            mountPath: mount.path,
            readOnly: mount.readOnly,
          })),
        },
      ],
      volumes: input.mounts.map((mount) => ({
        name: mount.name,
        hostPath: {
          path: mount.path,
          type: mount.file ? 'File' : mount.readOnly ? 'Directory' : 'DirectoryOrCreate',
        },
      })),
    },
  });
}
