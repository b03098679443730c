import { type ClusterModel, createOwner, type Owner } from '@hakoc/core';
import { bootConfigsFromRendered, type GceInput } from '@hakoc/provider-gce';
import { renderExample } from './example-cluster.ts';

/** A GCE cluster ready to plan: its model, the provider's input (real rendered configs), owner. */
export interface GceCluster {
  readonly model: ClusterModel;
  readonly input: GceInput;
  readonly owner: Owner;
}

/** Renders the model's boot configs (fresh PKI) and makes the provider input. */
export async function gceCluster(model: ClusterModel): Promise<GceCluster> {
  const rendered = await renderExample(model);
  return {
    model,
    input: { model, bootConfigs: bootConfigsFromRendered(model, rendered) },
    owner: createOwner(model.name),
  };
}
