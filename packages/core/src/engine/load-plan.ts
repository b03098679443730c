import { canonicalJson } from './digest.js';
import type { PlanOptions } from './options.js';
import { plan } from './plan.js';
import { PLAN_FORMAT_VERSION } from './plan-document.js';
import { planDocumentSchema } from './plan-document-schema.js';
import { PLAN_INVALID_CODE, PLAN_STALE_CODE, PlanError } from './plan-error.js';
import type { Plan } from './plan-internals.js';
import type { Provider } from './provider.js';

/**
 * Turns a saved plan (parsed plan JSON) back into a plan `apply` accepts. A saved plan holds no
 * secrets, so it is made again from `input`; it must come out identical to `document` in every
 * field of the format but `warnings` (advice on quotas, which move with other clusters' usage
 * while the steps stay the same). Fields the format does not have (a tool's annotations) are
 * ignored.
 *
 * @throws PlanError `HAKOC_PLAN_INVALID` for a document that is not a plan of this format
 * version, or one for another provider or cluster.
 * @throws PlanError `HAKOC_PLAN_STALE` when the input or the cloud changed since it was saved.
 */
export async function loadPlan<Input, Output>(
  document: unknown,
  input: Input,
  provider: Provider<Input, Output>,
  options: PlanOptions,
): Promise<Plan<Output>> {
  const version =
    typeof document === 'object' && document !== null
      ? Reflect.get(document, 'formatVersion')
      : undefined;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new PlanError(
      PLAN_INVALID_CODE,
      `This is not a plan of format version ${PLAN_FORMAT_VERSION} (found ${JSON.stringify(version)}).`,
      { hint: 'Make the plan again with this version of hakoc.' },
    );
  }
  const parsed = planDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`);
    throw new PlanError(PLAN_INVALID_CODE, `This is not a valid plan: ${where.join('; ')}.`, {
      hint: 'Pass the plan JSON as hakoc wrote it.',
    });
  }
  const saved = parsed.data;
  if (saved.provider !== provider.name || saved.cluster !== options.owner.cluster) {
    throw new PlanError(
      PLAN_INVALID_CODE,
      `The plan is for provider ${JSON.stringify(saved.provider)} and cluster ${JSON.stringify(saved.cluster)}, not "${provider.name}" and "${options.owner.cluster}".`,
    );
  }
  const fresh = await plan(input, provider, options);
  if (canonicalJson(withoutWarnings(fresh)) !== canonicalJson(withoutWarnings(saved))) {
    throw new PlanError(
      PLAN_STALE_CODE,
      'The saved plan no longer matches the input and the cloud.',
      {
        hint: 'Make and review a new plan.',
      },
    );
  }
  return fresh;
}

function withoutWarnings<Document extends { readonly warnings?: unknown }>(
  document: Document,
): Omit<Document, 'warnings'> {
  const { warnings: _advice, ...compared } = document;
  return compared;
}
