// Rewrites docs/cluster-spec.schema.json from the spec's zod schema (after `npm run build`),
// then docs/spec.md from it. Tests compare both files, so a spec change without this step
// fails CI.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterSpecJsonSchema } from '../packages/core/dist/index.js';
import { specReference } from './write-spec-doc.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const target = join(root, 'docs', 'cluster-spec.schema.json');
writeFileSync(target, `${JSON.stringify(clusterSpecJsonSchema(), null, 2)}\n`);
process.stderr.write(`wrote ${target}\n`);
const reference = join(root, 'docs', 'spec.md');
writeFileSync(reference, specReference(clusterSpecJsonSchema()));
process.stderr.write(`wrote ${reference}\n`);
