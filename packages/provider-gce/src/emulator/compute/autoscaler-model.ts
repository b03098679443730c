import type { Emulation } from '../context.js';
import { type JsonObject, numberField, objectField, stringField } from '../json.js';
import { refToPath } from '../paths.js';

/**
 * A deterministic stand-in for GCE's CPU autoscaler. Tests set a CPU utilisation with
 * `setCpuLoad`; the emulator turns it into a demand in "busy instances" (utilisation × size at
 * that moment), and the autoscaler recommends `ceil(demand / utilizationTarget)` clamped to
 * `[minNumReplicas, maxNumReplicas]`. Because the demand stays fixed as the group grows, the
 * size settles instead of running away. Without a load the size only moves into the bounds.
 * Cool-down periods and scale-in controls are not modelled.
 */

/** Matches every regional autoscaler path. */
export const AUTOSCALER_PATH = /^projects\/[^/]+\/regions\/[^/]+\/autoscalers\/[^/]+$/;

function bounds(autoscaler: JsonObject): {
  min: number;
  max: number;
  target: number;
  mode: string;
} {
  const policy = objectField(autoscaler, 'autoscalingPolicy');
  return {
    min: numberField(policy, 'minNumReplicas') ?? 1,
    max: numberField(policy, 'maxNumReplicas') ?? 1,
    target: numberField(objectField(policy, 'cpuUtilization'), 'utilizationTarget') ?? 0.6,
    mode: stringField(policy, 'mode') ?? 'ON',
  };
}

/** The size an autoscaler recommends for its group now. */
export function recommendedSize(
  env: Emulation,
  autoscalerPath: string,
  autoscaler: JsonObject,
  current: number,
): number {
  const { min, max, target, mode } = bounds(autoscaler);
  const demand = numberField(env.world.metaOf(autoscalerPath), 'cpuDemand');
  let size = demand === undefined ? current : Math.ceil(demand / target - 1e-9);
  size = Math.min(max, Math.max(min, size));
  if (mode === 'ONLY_SCALE_OUT') size = Math.max(size, Math.min(current, max));
  return size;
}

/** Records a CPU utilisation (0–1, averaged over the group) for an autoscaler. */
export function setCpuLoad(env: Emulation, autoscalerPath: string, utilization: number): void {
  const autoscaler = env.world.require(autoscalerPath);
  const project = autoscalerPath.split('/')[1] ?? '';
  const mig = env.world.get(refToPath(String(autoscaler.target ?? ''), project));
  const size = Math.max(1, numberField(mig ?? {}, 'targetSize') ?? 1);
  env.world.setMeta(autoscalerPath, {
    ...env.world.metaOf(autoscalerPath),
    cpuDemand: utilization * size,
  });
}

/** Applies every active autoscaler to its group's target size. */
export function applyAutoscalers(env: Emulation): void {
  const world = env.world;
  for (const [path, autoscaler] of world.find(AUTOSCALER_PATH)) {
    const project = path.split('/')[1] ?? '';
    const migPath = refToPath(String(autoscaler.target ?? ''), project);
    const mig = world.get(migPath);
    if (!mig || world.metaOf(migPath).deleting === true) continue;
    if (bounds(autoscaler).mode === 'OFF') continue;
    const current = numberField(mig, 'targetSize') ?? 0;
    const size = recommendedSize(env, path, autoscaler, current);
    if (size !== current) world.put(migPath, { ...mig, targetSize: size });
    if (autoscaler.recommendedSize !== size || autoscaler.status !== 'ACTIVE') {
      world.put(path, { ...autoscaler, recommendedSize: size, status: 'ACTIVE' });
    }
  }
}
