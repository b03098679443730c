import type { RenderedCluster, RenderedConfig } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { BOOT_CONFIG_MISSING_CODE, bootConfigsFromRendered } from '../../src/index.js';
import { exampleModel } from './fixtures.js';

const model = exampleModel();

/** A render of the example cluster whose every config holds its own name. */
function renderedOf(configs: readonly RenderedConfig[]): RenderedCluster {
  return {
    manifest: { cluster: model.name, provider: 'gce', configs },
    files: new Map(configs.map((config) => [config.ignition, `ignition of ${config.name}`])),
  };
}

const etcdNames = model.machineSets.etcd.machines.map((machine) => machine.name);
const allConfigs: RenderedConfig[] = [
  ...etcdNames.map((name) => ({ name, role: 'etcd' as const, ignition: `configs/${name}.ign` })),
  {
    name: model.machineSets.controlPlane.name,
    role: 'control-plane',
    ignition: 'configs/controllers.ign',
  },
  { name: model.machineSets.workers.name, role: 'worker', ignition: 'configs/workers.ign' },
];

describe('bootConfigsFromRendered', () => {
  it('gives each etcd member its own config and each machine set its shared one', () => {
    const configs = bootConfigsFromRendered(model, renderedOf(allConfigs));
    expect(Object.keys(configs.etcd)).toEqual(etcdNames);
    for (const name of etcdNames) expect(configs.etcd[name]).toBe(`ignition of ${name}`);
    expect(configs.controlPlane).toBe(`ignition of ${model.machineSets.controlPlane.name}`);
    expect(configs.workers).toBe(`ignition of ${model.machineSets.workers.name}`);
  });

  it('refuses a render that lacks a member of the model, naming it', () => {
    const missing = etcdNames[1] ?? '';
    const rendered = renderedOf(allConfigs.filter((config) => config.name !== missing));
    expect(() => bootConfigsFromRendered(model, rendered)).toThrow(
      expect.objectContaining({
        code: BOOT_CONFIG_MISSING_CODE,
        message: expect.stringContaining(missing),
      }),
    );
  });

  it('refuses a manifest entry whose file is not among the files', () => {
    const rendered = renderedOf(allConfigs);
    const files = new Map(rendered.files);
    files.delete('configs/workers.ign');
    expect(() => bootConfigsFromRendered(model, { ...rendered, files })).toThrow(
      expect.objectContaining({ code: BOOT_CONFIG_MISSING_CODE }),
    );
  });
});
