export { type PkiRequestOptions, pkiRequestFor } from './pki-request.js';
