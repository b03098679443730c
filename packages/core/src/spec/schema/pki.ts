import * as z from 'zod';
import { schemaFor } from './schema-for.js';

/** `spec.pki`: how the cluster's certificates are made. */
export interface PkiSpec {
  /**
   * Algorithm of every private key in the PKI.
   * @default 'ecdsa-p256'
   */
  keyAlgorithm: 'ecdsa-p256' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096';
  /**
   * Validity of the cluster, front-proxy and etcd CAs, in days.
   * @default 3650
   */
  caValidityDays: number;
  /**
   * Validity of leaf certificates (API server, clients, kubeconfigs), in days.
   * @default 365
   */
  leafValidityDays: number;
  /**
   * Validity of the etcd member server and peer certificates, in days.
   * @default 365
   */
  etcdCertValidityDays: number;
}

const days = (fallback: number, what: string) =>
  z.number().int().min(1).max(36500).default(fallback).describe(`Validity of ${what}, in days.`);

/** The schema of {@link PkiSpec}. */
export const pkiSchema = schemaFor<PkiSpec>()(
  z
    .strictObject({
      keyAlgorithm: z
        .enum(['ecdsa-p256', 'rsa-2048', 'rsa-3072', 'rsa-4096'])
        .default('ecdsa-p256')
        .describe('Algorithm of every private key in the PKI.'),
      caValidityDays: days(3650, 'the cluster, front-proxy and etcd CAs'),
      leafValidityDays: days(365, 'leaf certificates (API server, clients, kubeconfigs)'),
      etcdCertValidityDays: days(365, 'the etcd member server and peer certificates'),
    })
    .prefault({})
    .describe('Certificate authority and certificate settings.'),
);
