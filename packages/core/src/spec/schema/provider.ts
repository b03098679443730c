import * as z from 'zod';
import { customIssue } from './custom-issue.js';
import { type GceSpec, gceSchema } from './gce.js';
import { type VagrantSpec, vagrantSchema } from './vagrant.js';

/** The parsed `spec.provider`: exactly one of the providers. */
export type ProviderSpec = { gce: GceSpec } | { vagrant: VagrantSpec };

/** `spec.provider`: where the cluster runs, exactly one of `gce` or `vagrant`. */
export const providerSchema = z
  .strictObject({ gce: gceSchema.optional(), vagrant: vagrantSchema.optional() })
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
