import { stringify } from 'yaml';

/**
 * A Kubernetes object built with a `kubernetes-models` constructor: typed while it is written
 * (TypeScript rejects misspelt fields) and checked against the OpenAPI schema by `validate()`.
 */
export interface KubernetesObject {
  /** Checks the object against the Kubernetes OpenAPI schema; throws when it does not fit. */
  validate(): void;
  /** The object as plain JSON. */
  toJSON(): unknown;
}

/** Objects as one multi-document YAML text, in the order given (apply order matters). */
export function manifestsYaml(objects: readonly KubernetesObject[]): string {
  return objects.map((object) => stringify(object.toJSON(), { lineWidth: 0 })).join('---\n');
}

/** Labels on everything hakoc applies, so `kubectl get -l hakoc-managed=true` lists it. */
export const MANAGED_LABELS = { 'hakoc-managed': 'true' } as const;
