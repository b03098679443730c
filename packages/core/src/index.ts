/**
 * `@hakoc/core`: the cluster spec and model, boot configuration, the resource graph and the
 * plan / apply / destroy engine. Provider packages build on it; it never imports a cloud SDK.
 *
 * @packageDocumentation
 */
// writeFileAtomic: providers import core, not certs, and write their own state files too.
export { HakocError, type HakocErrorOptions, isHakocError, writeFileAtomic } from '@hakoc/certs';
export * from './boot/index.js';
export * from './engine/index.js';
export * from './etcd/index.js';
export * from './model/index.js';
export * from './modules/index.js';
export * from './pki/index.js';
export * from './render/index.js';
export * from './spec/index.js';
