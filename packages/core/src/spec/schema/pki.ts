import * as z from 'zod';

const days = (fallback: number, what: string) =>
  z.number().int().min(1).max(36500).default(fallback).describe(`Validity of ${what}, in days.`);

/** `spec.pki`: how the cluster's certificates are made. */
export const pkiSchema = z
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
  .describe('Certificate authority and certificate settings.');

/** The parsed `spec.pki` section. */
export type PkiSpec = z.output<typeof pkiSchema>;
