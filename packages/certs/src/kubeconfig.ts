import { stringify } from 'yaml';
import type { KubeconfigUser } from './profiles.js';
import { apiPortOf, type PkiRequest } from './request.js';
import { Secret } from './secret.js';

/** How a kubeconfig's user authenticates: a client certificate or a bearer token. */
export type KubeconfigCredentials =
  | {
      /** Client certificate PEM. */
      readonly clientCertificate: string;
      /** Its private key PEM. */
      readonly clientKey: Secret;
    }
  | {
      /** A bearer token, such as a bootstrap token. */
      readonly token: Secret;
    };

/** Input of {@link renderKubeconfig}. */
export interface KubeconfigInput {
  /** Names the cluster and context entries. */
  readonly clusterName: string;
  /** The API server URL, `https://host:port`. */
  readonly server: string;
  /** The cluster CA certificate (PEM), embedded so the file stands alone. */
  readonly caCertificate: string;
  /** Names the user entry. */
  readonly userName: string;
  /** The user's client certificate and key, or a bearer token. */
  readonly credentials: KubeconfigCredentials;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Renders a kubeconfig with the CA and credentials embedded. It holds a key or a token, so it
 * comes back as a {@link Secret}.
 */
export function renderKubeconfig(input: KubeconfigInput): Secret {
  const context = `${input.userName}@${input.clusterName}`;
  const { credentials } = input;
  const user =
    'token' in credentials
      ? { token: credentials.token.reveal() }
      : {
          'client-certificate-data': base64(credentials.clientCertificate),
          'client-key-data': base64(credentials.clientKey.reveal()),
        };
  const document = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: input.clusterName,
        cluster: {
          server: input.server,
          'certificate-authority-data': base64(input.caCertificate),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster: input.clusterName, user: input.userName } }],
    'current-context': context,
    preferences: {},
    users: [{ name: input.userName, user }],
  };
  return new Secret(stringify(document, { lineWidth: 0 }));
}

/**
 * The API server URL a kubeconfig points at. People and the bootstrap kubeconfig use the
 * public endpoint (the load balancer); controller-manager and scheduler run on a control-plane
 * machine and use its own API server on 127.0.0.1, so they neither depend on the load balancer
 * nor hairpin through it (a passthrough LB keeps its own IP as the packet's destination).
 */
export function kubeconfigServer(request: PkiRequest, user: KubeconfigUser | 'bootstrap'): string {
  const local = user === 'controllerManager' || user === 'scheduler';
  return `https://${local ? '127.0.0.1' : request.apiEndpoint}:${apiPortOf(request)}`;
}
