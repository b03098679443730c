import { z } from 'zod';
import { PLAN_FORMAT_VERSION } from './plan-document.js';

const stepAction = z.enum(['create', 'update', 'replace', 'delete', 'noop']);
const count = z.number().int().min(0);

// Objects strip keys they do not know: a tool may annotate a saved plan, and the annotations are
// not what was reviewed against the cloud.
const planStep = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  action: stepAction,
  dependsOn: z.array(z.string()),
  actualId: z.string().optional(),
  fields: z.array(z.string()).optional(),
  reason: z.string().optional(),
  replaceStrategy: z.enum(['create-before-destroy', 'destroy-before-create']).optional(),
  spec: z.unknown().optional(),
});

/** The shape of a plan document of this format version, for reading saved plans. */
export const planDocumentSchema = z.object({
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  provider: z.string(),
  cluster: z.string(),
  fingerprint: z.string(),
  steps: z.array(planStep),
  summary: z.object({
    create: count,
    update: count,
    replace: count,
    delete: count,
    noop: count,
    changes: count,
  }),
  warnings: z.array(z.string()).optional(),
});
