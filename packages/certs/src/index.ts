/**
 * `@hakoc/certs`: the cluster PKI — CAs, leaf certificates, kubeconfigs, bootstrap tokens
 * and an encrypted key store.
 *
 * @packageDocumentation
 */
export { HakocError, type HakocErrorOptions, isHakocError } from './errors.js';
