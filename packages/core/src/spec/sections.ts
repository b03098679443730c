import type * as z from 'zod';
import { isRecord } from './is-record.js';
import type { ParsedSections } from './rules/rule.js';
import { specSectionSchemas } from './schema/cluster.js';
import { metadataSchema } from './schema/metadata.js';

function parsed<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/**
 * Parses every section of a raw document on its own. A section that fails is undefined; the
 * others still reach the semantic rules. When `spec` is not a mapping no section is parsed,
 * since defaults alone would only produce rules about fields the user never wrote.
 */
export function parseSections(document: unknown): ParsedSections {
  const root = isRecord(document) ? document : {};
  const spec = isRecord(root.spec) ? root.spec : undefined;
  const section = <T>(schema: z.ZodType<T>, name: keyof typeof specSectionSchemas) =>
    spec === undefined ? undefined : parsed(schema, spec[name]);
  return {
    metadata: parsed(metadataSchema, root.metadata),
    domain: section(specSectionSchemas.domain, 'domain'),
    provider: section(specSectionSchemas.provider, 'provider'),
    kubernetes: section(specSectionSchemas.kubernetes, 'kubernetes'),
    image: section(specSectionSchemas.image, 'image'),
    access: section(specSectionSchemas.access, 'access'),
    pki: section(specSectionSchemas.pki, 'pki'),
    keyStore: section(specSectionSchemas.keyStore, 'keyStore'),
    etcd: section(specSectionSchemas.etcd, 'etcd'),
    controlPlane: section(specSectionSchemas.controlPlane, 'controlPlane'),
    workers: section(specSectionSchemas.workers, 'workers'),
    network: section(specSectionSchemas.network, 'network'),
  };
}
