/**
 * `@hakoc/core`: the cluster spec and model, boot configuration, the resource graph and the
 * plan / apply / destroy engine. Provider packages build on it; it never imports a cloud SDK.
 *
 * @packageDocumentation
 */
export { HakocError, type HakocErrorOptions, isHakocError } from '@hakoc/certs';
// Providers import core, not certs (docs/architecture.md); they write their own state files too.
export { writeFileAtomic } from '@hakoc/certs';
export * from './boot/index.js';
export * from './engine/index.js';
export * from './etcd/index.js';
export * from './model/index.js';
export * from './modules/index.js';
export * from './pki/index.js';
export * from './render/index.js';
export * from './spec/index.js';
