import * as z from 'zod';
import { customIssue } from './custom-issue.js';
import { type GceSpec, gceSchema } from './gce.js';
import type { WithDefaults } from './schema-for.js';
import { type VagrantSpec, vagrantSchema } from './vagrant.js';

/** The cluster runs on Google Compute Engine. */
export interface GceProvider {
  /** Where on GCE. */
  gce: GceSpec;
}

/** The cluster runs on local virtual machines with Vagrant. */
export interface VagrantProvider {
  /** How the VMs are set up. */
  vagrant: VagrantSpec;
}

/** The parsed `spec.provider`: exactly one provider. Tell them apart with `'gce' in provider`. */
export type ProviderSpec = GceProvider | VagrantProvider;

/** `spec.provider.gce` as written: `internalLoadBalancer` may be left out. */
export type GceSpecInput = WithDefaults<GceSpec, 'internalLoadBalancer'>;

/** {@link GceProvider} as written. */
export interface GceProviderInput {
  /** Where on GCE. */
  gce: GceSpecInput;
}

/** {@link VagrantProvider} as written: every Vagrant setting has a default. */
export interface VagrantProviderInput {
  /** How the VMs are set up; `{}` takes every default. */
  vagrant: Partial<VagrantSpec>;
}

/** `spec.provider` as written. */
export type ProviderSpecInput = GceProviderInput | VagrantProviderInput;

/** `spec.provider`: where the cluster runs, exactly one of `gce` or `vagrant`. */
export const providerSchema = z
  .strictObject({ gce: gceSchema.exactOptional(), vagrant: vagrantSchema.exactOptional() })
  .transform((provider, ctx): ProviderSpec => {
    if (provider.gce !== undefined && provider.vagrant === undefined) return { gce: provider.gce };
    if (provider.vagrant !== undefined && provider.gce === undefined) {
      return { vagrant: provider.vagrant };
    }
    ctx.issues.push(
      customIssue(
        'provider.exactlyOne',
        provider.gce === undefined
          ? 'no provider is set'
          : 'both gce and vagrant are set; a cluster runs on one provider',
        'set exactly one of provider.gce or provider.vagrant',
      ),
    );
    return z.NEVER;
  })
  .meta({ oneOf: [{ required: ['gce'] }, { required: ['vagrant'] }] })
  .describe('Where the cluster runs: exactly one of `gce` or `vagrant`.');
