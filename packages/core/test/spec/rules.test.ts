import { type Diagnostic, formatPath, parseClusterSpec } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { gceInput, vagrantInput, withField } from './fixtures.js';

type Change = [path: (string | number)[], value: unknown];

/** Applies the changes to a valid spec and returns the diagnostics. */
function diagnose(changes: Change[], base: unknown = gceInput()): Diagnostic[] {
  const input = changes.reduce((spec, [path, value]) => withField(spec, path, value), base);
  return parseClusterSpec(input).diagnostics;
}

/** `severity code path` of each diagnostic, for compact expectations. */
function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${formatPath(d.path)}`);
}

const at = (...path: (string | number)[]) => path;

describe('names', () => {
  it('allows a 30-character cluster name and refuses 31', () => {
    expect(diagnose([[at('metadata', 'name'), `a${'b'.repeat(29)}`]])).toEqual([]);
    expect(summary(diagnose([[at('metadata', 'name'), `a${'b'.repeat(30)}`]]))).toEqual([
      'error name.tooLong metadata.name',
    ]);
  });

  it('refuses names GCE would refuse, suggesting a fix', () => {
    const [diagnostic] = diagnose([[at('metadata', 'name'), 'My_Cluster']]);
    expect(diagnostic).toMatchObject({ code: 'name.invalid' });
    expect(diagnostic?.hint).toContain('"my-cluster"');
    expect(summary(diagnose([[at('metadata', 'name'), 'demo-']]))).toEqual([
      'error name.invalid metadata.name',
    ]);
  });

  it('wants a domain of at least two valid labels', () => {
    for (const domain of ['localhost', 'K8s.example.com', 'k8s.example.com.', '-a.example.com']) {
      expect(summary(diagnose([[at('spec', 'domain'), domain]]))).toEqual([
        'error domain.invalid spec.domain',
      ]);
    }
    expect(diagnose([[at('spec', 'domain'), 'a-1.b2.example']])).toEqual([]);
  });
});

describe('kubernetes', () => {
  it('accepts any patch of a supported minor', () => {
    expect(diagnose([[at('spec', 'kubernetes', 'version'), '1.35.0']])).toEqual([]);
    expect(diagnose([[at('spec', 'kubernetes', 'version'), '1.37.12']])).toEqual([]);
  });

  it('refuses an end-of-life release and lists the supported ones', () => {
    expect(diagnose([[at('spec', 'kubernetes', 'version'), '1.34.3']])).toEqual([
      expect.objectContaining({
        code: 'kubernetes.unsupportedVersion',
        hint: 'supported releases: 1.35, 1.36, 1.37 (any patch release)',
      }),
    ]);
  });

  it('explains a malformed version', () => {
    expect(diagnose([[at('spec', 'kubernetes', 'version'), 'v1.37.1']])).toEqual([
      expect.objectContaining({
        code: 'kubernetes.versionFormat',
        hint: 'write it without the "v": "1.37.1"',
      }),
    ]);
    expect(summary(diagnose([[at('spec', 'kubernetes', 'version'), '1.37']]))).toEqual([
      'error kubernetes.versionFormat spec.kubernetes.version',
    ]);
  });

  it('checks the cluster domain, where one label is fine', () => {
    expect(diagnose([[at('spec', 'kubernetes', 'clusterDomain'), 'cluster']])).toEqual([]);
    expect(
      summary(diagnose([[at('spec', 'kubernetes', 'clusterDomain'), 'cluster_local']])),
    ).toEqual(['error domain.invalid spec.kubernetes.clusterDomain']);
  });
});

describe('image', () => {
  it('wants a channel the OS has', () => {
    expect(diagnose([[at('spec', 'image'), { os: 'flatcar', channel: 'lts' }]])).toEqual([]);
    expect(diagnose([[at('spec', 'image'), { os: 'fedora-coreos', channel: 'next' }]])).toEqual([]);
    expect(diagnose([[at('spec', 'image'), { os: 'fedora-coreos', channel: 'beta' }]])).toEqual([
      expect.objectContaining({
        code: 'image.channel',
        hint: 'fedora-coreos channels: stable, testing, next',
      }),
    ]);
  });

  it('wants a GCE image name', () => {
    expect(summary(diagnose([[at('spec', 'image', 'name'), 'My Image']]))).toEqual([
      'error image.name spec.image.name',
    ]);
  });
});

describe('gce', () => {
  const gce = (...path: (string | number)[]) => at('spec', 'provider', 'gce', ...path);

  it('wants a project ID, not a display name', () => {
    for (const project of ['My Project', 'short', 'ends-with-', '1starts-with-digit']) {
      expect(summary(diagnose([[gce('project'), project]]))).toEqual([
        'error gce.project spec.provider.gce.project',
      ]);
    }
  });

  it('wants zones of the region, each once', () => {
    const diagnostics = diagnose([
      [gce('zones'), ['europe-west1-b', 'europe-west2-c', 'europe-west1-b', 'nowhere']],
    ]);
    expect(summary(diagnostics)).toEqual([
      'error gce.zoneOutsideRegion spec.provider.gce.zones[1]',
      'error gce.duplicateZone spec.provider.gce.zones[2]',
      'error gce.zoneOutsideRegion spec.provider.gce.zones[3]',
    ]);
    expect(diagnostics[0]?.hint).toBe('did you mean europe-west1-c?');
    expect(diagnostics[2]?.hint).toBe('zones of europe-west1 look like europe-west1-b');
  });

  it('wants a region name', () => {
    expect(summary(diagnose([[gce('region'), 'Europe West']]))).toEqual([
      'error gce.region spec.provider.gce.region',
    ]);
  });

  it('wants a managed zone name, not a DNS name', () => {
    const [diagnostic] = diagnose([[gce('dnsZone'), 'example.com.']]);
    expect(diagnostic).toMatchObject({ code: 'gce.dnsZone' });
    expect(diagnostic?.hint).toContain('managed zone name');
  });

  it('wants at least one zone', () => {
    expect(summary(diagnose([[gce('zones'), []]]))).toEqual([
      'error spec.tooSmall spec.provider.gce.zones',
    ]);
  });
});

describe('vagrant', () => {
  const network = at('spec', 'provider', 'vagrant', 'network');

  it('warns that autoscaling becomes min workers', () => {
    const diagnostics = diagnose([[at('spec', 'workers'), { min: 1, max: 4 }]], vagrantInput());
    expect(summary(diagnostics)).toEqual(['warning vagrant.autoscaling spec.workers']);
    expect(
      parseClusterSpec(withField(vagrantInput(), ['spec', 'workers'], { min: 1, max: 4 })).ok,
    ).toBe(true);
  });

  it('needs room for each role in its block of the private network', () => {
    // Workers start at offset .100; a /25 ends at .127 (broadcast), leaving .100 to .126.
    expect(
      diagnose(
        [
          [network, '192.168.56.0/25'],
          [at('spec', 'workers', 'count'), 27],
        ],
        vagrantInput(),
      ),
    ).toEqual([]);
    const diagnostics = diagnose(
      [
        [network, '192.168.56.0/25'],
        [at('spec', 'workers', 'count'), 28],
      ],
      vagrantInput(),
    );
    expect(summary(diagnostics)).toEqual([
      'error vagrant.networkTooSmall spec.provider.vagrant.network',
    ]);
    expect(diagnostics[0]?.message).toContain('room for 27 workers');
    // A /26 ends before the workers' block; a /28 even before the controllers'.
    expect(summary(diagnose([[network, '192.168.56.0/28']], vagrantInput()))).toEqual([
      'error vagrant.networkTooSmall spec.provider.vagrant.network',
      'error vagrant.networkTooSmall spec.provider.vagrant.network',
    ]);
  });

  it('caps controllers at their block, however wide the network', () => {
    const diagnostics = diagnose(
      [
        [network, '192.168.0.0/16'],
        [at('spec', 'provider', 'vagrant', 'hypervisor'), 'libvirt'],
        [at('spec', 'controlPlane', 'count'), 81],
        [at('spec', 'workers', 'count'), 150],
      ],
      vagrantInput(),
    );
    expect(summary(diagnostics)).toEqual(['error vagrant.tooManyMachines spec.controlPlane.count']);
  });

  it('warns when VirtualBox would refuse the network, not on libvirt', () => {
    expect(summary(diagnose([[network, '10.10.0.0/24']], vagrantInput()))).toEqual([
      'warning vagrant.networkOutsideVirtualBoxRange spec.provider.vagrant.network',
    ]);
    const libvirt = withField(
      vagrantInput(),
      ['spec', 'provider', 'vagrant', 'hypervisor'],
      'libvirt',
    );
    expect(diagnose([[network, '10.10.0.0/24']], libvirt)).toEqual([]);
  });

  it('keeps the private network apart from pods and services', () => {
    expect(
      summary(
        diagnose(
          [[network, '10.2.4.0/24']],
          withField(vagrantInput(), ['spec', 'provider', 'vagrant', 'hypervisor'], 'libvirt'),
        ),
      ),
    ).toEqual(['error network.overlap spec.provider.vagrant.network']);
  });

  it('checks the private network is an IPv4 CIDR', () => {
    expect(summary(diagnose([[network, 'fd00::/64']], vagrantInput()))).toEqual([
      'error cidr.ipv6 spec.provider.vagrant.network',
    ]);
  });
});

describe('network', () => {
  const field = (name: string) => at('spec', 'network', name);

  it('explains IPv6, syntax and host bits', () => {
    const diagnostics = diagnose([
      [field('nodeCidr'), '2001:db8::/48'],
      [field('podCidr'), '10.2.0.0'],
      [field('serviceCidr'), '10.3.0.1/16'],
    ]);
    expect(summary(diagnostics)).toEqual([
      'error cidr.ipv6 spec.network.nodeCidr',
      'error cidr.invalid spec.network.podCidr',
      'error cidr.hostBits spec.network.serviceCidr',
    ]);
    expect(diagnostics[0]?.hint).toContain('IPv4 only');
    expect(diagnostics[2]?.hint).toBe('did you mean 10.3.0.0/16?');
  });

  it('finds every overlapping pair', () => {
    const diagnostics = diagnose([
      [field('nodeCidr'), '10.0.0.0/8'],
      [field('podCidr'), '10.2.0.0/16'],
      [field('serviceCidr'), '10.2.128.0/20'],
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'podCidr 10.2.0.0/16 overlaps nodeCidr 10.0.0.0/8',
      'serviceCidr 10.2.128.0/20 overlaps nodeCidr 10.0.0.0/8',
      'serviceCidr 10.2.128.0/20 overlaps podCidr 10.2.0.0/16',
    ]);
  });

  it('sizes the service range: a tenth address, at most a /12', () => {
    expect(summary(diagnose([[field('serviceCidr'), '10.3.0.0/29']]))).toEqual([
      'error network.serviceCidrTooSmall spec.network.serviceCidr',
    ]);
    expect(diagnose([[field('serviceCidr'), '10.3.0.0/28']])).toEqual([]);
    expect(summary(diagnose([[field('serviceCidr'), '172.0.0.0/8']]))).toEqual([
      'error network.serviceCidrTooLarge spec.network.serviceCidr',
    ]);
  });

  it('gives every possible node a pod subnet', () => {
    // 3 controllers + at most 10 workers need 13 /24s: a /20 holds 16, a /21 only 8.
    expect(diagnose([[field('podCidr'), '10.2.0.0/20']])).toEqual([]);
    expect(diagnose([[field('podCidr'), '10.2.0.0/21']])).toEqual([
      expect.objectContaining({ code: 'network.podCidrTooSmall', hint: 'use a /20 or wider' }),
    ]);
  });

  it('gives every GCE machine a node address', () => {
    // 3 etcd + 3 controllers + 10 workers = 16; a /27 has 28 usable, a /28 12.
    expect(diagnose([[field('nodeCidr'), '10.240.0.0/27']])).toEqual([]);
    expect(diagnose([[field('nodeCidr'), '10.240.0.0/28']])).toEqual([
      expect.objectContaining({ code: 'network.nodeCidrTooSmall', hint: 'use a /27 or wider' }),
    ]);
  });
});

describe('machine sets', () => {
  it('wants an odd etcd count; one member is a warning', () => {
    expect(summary(diagnose([[at('spec', 'etcd', 'count'), 4]]))).toEqual([
      'error etcd.evenCount spec.etcd.count',
    ]);
    expect(summary(diagnose([[at('spec', 'etcd', 'count'), 1]]))).toEqual([
      'warning etcd.singleMember spec.etcd.count',
    ]);
    expect(diagnose([[at('spec', 'etcd', 'count'), 5]])).toEqual([]);
  });

  it('wants counts of at least one', () => {
    expect(
      summary(
        diagnose([
          [at('spec', 'controlPlane', 'count'), 0],
          [at('spec', 'workers'), { count: 0 }],
        ]),
      ),
    ).toEqual([
      'error spec.tooSmall spec.controlPlane.count',
      'error spec.tooSmall spec.workers.count',
    ]);
  });

  it('wants min at most max', () => {
    expect(diagnose([[at('spec', 'workers'), { min: 3, max: 3 }]])).toEqual([]);
    expect(summary(diagnose([[at('spec', 'workers'), { min: 4, max: 3 }]]))).toEqual([
      'error workers.minAboveMax spec.workers.min',
    ]);
  });

  it('wants machine type names', () => {
    expect(summary(diagnose([[at('spec', 'etcd', 'machineType'), 'small VM']]))).toEqual([
      'error machineType.invalid spec.etcd.machineType',
    ]);
  });
});

describe('access, pki and key store', () => {
  it('checks every source range', () => {
    expect(
      summary(
        diagnose([
          [
            at('spec', 'access'),
            { apiSourceRanges: ['10.0.0.0/8', '1.2.3.4'], sshSourceRanges: ['::/0'] },
          ],
        ]),
      ),
    ).toEqual([
      'error cidr.invalid spec.access.apiSourceRanges[1]',
      'error cidr.ipv6 spec.access.sshSourceRanges[0]',
    ]);
  });

  it('keeps certificates within the CA lifetime', () => {
    expect(
      summary(
        diagnose([
          [
            at('spec', 'pki'),
            { caValidityDays: 100, etcdCertValidityDays: 365, leafValidityDays: 30 },
          ],
        ]),
      ),
    ).toEqual(['error pki.outlivesCa spec.pki.etcdCertValidityDays']);
  });

  it('wants an environment variable name', () => {
    expect(summary(diagnose([[at('spec', 'keyStore', 'passphrase'), { env: 'MY-PASS' }]]))).toEqual(
      ['error keyStore.envName spec.keyStore.passphrase.env'],
    );
  });
});

describe('independent sections', () => {
  it('checks every section even when another has a type error', () => {
    const diagnostics = diagnose([
      [at('spec', 'etcd', 'count'), 'three'],
      [at('spec', 'network', 'podCidr'), '10.3.0.0/16'],
      [at('spec', 'provider', 'gce', 'zones', 0), 'us-east1-b'],
      [at('metadata', 'name'), 42],
    ]);
    expect(summary(diagnostics)).toEqual([
      'error spec.type metadata.name',
      'error spec.type spec.etcd.count',
      'error gce.zoneOutsideRegion spec.provider.gce.zones[0]',
      'error network.overlap spec.network.serviceCidr',
    ]);
  });
});
