import { GCE_NAME_PATTERN } from '../../model/names.js';
import type { Diagnostic } from '../diagnostic.js';
import type { GceSpec } from '../schema/gce.js';
import { error, rule } from './rule.js';

const GCE_PATH = ['spec', 'provider', 'gce'];

/** GCP project IDs: 6 to 30 characters, lowercase, starting with a letter, no trailing hyphen. */
const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** Compute Engine region names: `europe-west1`, `northamerica-northeast2`. */
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;

/** Settings of the GCE provider, when it is the one chosen. */
function gceOf(provider: { gce: GceSpec } | object): GceSpec | undefined {
  return 'gce' in provider ? provider.gce : undefined;
}

/** The project ID must follow GCP's rules (a display name is a common mistake). */
export const gceProject = rule(['provider'], ({ provider }) => {
  const gce = gceOf(provider);
  if (gce === undefined || PROJECT_ID.test(gce.project)) return [];
  return [
    error(
      'gce.project',
      [...GCE_PATH, 'project'],
      `"${gce.project}" is not a GCP project ID`,
      'project IDs are 6 to 30 lowercase letters, digits and hyphens, starting with a letter; `gcloud projects list` shows them',
    ),
  ];
});

/** The region must look like one, and every zone must be a distinct zone of it. */
export const gceZones = rule(['provider'], ({ provider }) => {
  const gce = gceOf(provider);
  if (gce === undefined) return [];
  if (!REGION.test(gce.region)) {
    return [
      error(
        'gce.region',
        [...GCE_PATH, 'region'],
        `"${gce.region}" is not a Compute Engine region`,
        'regions look like europe-west1; `gcloud compute regions list` shows them',
      ),
    ];
  }
  const zonePattern = new RegExp(`^${gce.region}-[a-z]$`);
  const problems: Diagnostic[] = [];
  gce.zones.forEach((zone, index) => {
    const path = [...GCE_PATH, 'zones', index];
    if (!zonePattern.test(zone)) {
      const letter = /-([a-z])$/.exec(zone)?.[1];
      problems.push(
        error(
          'gce.zoneOutsideRegion',
          path,
          `zone "${zone}" is not in region ${gce.region}`,
          letter === undefined
            ? `zones of ${gce.region} look like ${gce.region}-b`
            : `did you mean ${gce.region}-${letter}?`,
        ),
      );
    } else if (gce.zones.indexOf(zone) !== index) {
      problems.push(
        error('gce.duplicateZone', path, `zone "${zone}" is listed twice`, 'list each zone once'),
      );
    }
  });
  return problems;
});

/** The DNS zone is a Cloud DNS managed-zone name (a resource name, not the domain). */
export const gceDnsZone = rule(['provider'], ({ provider }) => {
  const gce = gceOf(provider);
  if (gce === undefined || (GCE_NAME_PATTERN.test(gce.dnsZone) && gce.dnsZone.length <= 63)) {
    return [];
  }
  return [
    error(
      'gce.dnsZone',
      [...GCE_PATH, 'dnsZone'],
      `"${gce.dnsZone}" is not a Cloud DNS managed zone name`,
      gce.dnsZone.includes('.')
        ? 'give the managed zone name (like example-com), not its DNS name; `gcloud dns managed-zones list` shows both'
        : 'managed zone names are lowercase letters, digits and hyphens, starting with a letter',
    ),
  ];
});
