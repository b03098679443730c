import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { HakocError, type PlanDocument } from '@hakoc/core';

/** The stable code of a file that is not a saved hakoc plan. */
export const PLAN_FILE_INVALID_CODE = 'HAKOC_PLAN_FILE_INVALID';

/**
 * What `hakoc plan --out` writes: the plan document as the engine made it, and the spec it was
 * made from (relative to the file), because a plan holds no secrets and `apply` makes it again
 * from the spec to check it still holds.
 */
export interface PlanFile {
  /** The spec, relative to the plan file. */
  readonly spec: string;
  /** The plan document. */
  readonly plan: PlanDocument;
}

/** Writes a plan file. */
export async function writePlanFile(path: string, specPath: string, plan: PlanDocument) {
  const file: PlanFile = { spec: relative(dirname(path), specPath), plan };
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}

/** Reads a plan file, or undefined when `path` is not JSON (then it is a spec). */
export async function readPlanFile(
  path: string,
): Promise<{ readonly specPath: string; readonly plan: unknown } | undefined> {
  if (!path.endsWith('.json')) return undefined;
  const text = await readFile(path, 'utf8');
  const parsed: unknown = JSON.parse(text);
  const spec =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>).spec
      : undefined;
  const plan =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>).plan
      : undefined;
  if (typeof spec !== 'string' || plan === undefined) {
    // A spec may be JSON too: only an object with `spec` and `plan` is a plan file.
    if (typeof parsed === 'object' && parsed !== null && 'apiVersion' in parsed) return undefined;
    throw new HakocError(
      PLAN_FILE_INVALID_CODE,
      `${path} is not a plan file written by hakoc plan --out.`,
    );
  }
  return { specPath: resolve(dirname(path), spec), plan };
}
