import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/emulator/filter.js';
import type { JsonObject } from '../../src/emulator/index.js';
import { paginate } from '../../src/emulator/paging.js';

const items: JsonObject[] = [
  { name: 'api', labels: { 'hakoc-cluster': 'demo', role: 'cp' }, status: 'RUNNING', cpus: 4 },
  {
    name: 'etcd-0',
    labels: { 'hakoc-cluster': 'demo', role: 'etcd' },
    status: 'STOPPING',
    cpus: 2,
  },
  {
    name: 'web',
    labels: { team: 'x' },
    status: 'RUNNING',
    networkInterfaces: [{ network: 'a' }, { network: 'b' }],
  },
];

function names(filter: string): string[] {
  const predicate = compileFilter(filter);
  return items.filter(predicate).map((i) => String(i.name));
}

describe('list filter', () => {
  it('matches labels, quoted values, != and presence', () => {
    expect(names('labels.hakoc-cluster = demo')).toEqual(['api', 'etcd-0']);
    expect(names('labels.role = "etcd"')).toEqual(['etcd-0']);
    expect(names('labels.hakoc-cluster != demo')).toEqual(['web']);
    expect(names('labels.team:*')).toEqual(['web']);
  });

  it('combines with juxtaposition, AND, OR, NOT and parentheses', () => {
    expect(names('(labels.hakoc-cluster = demo) (status = RUNNING)')).toEqual(['api']);
    expect(names('labels.role = cp OR labels.role = etcd')).toEqual(['api', 'etcd-0']);
    expect(names('NOT (status = RUNNING)')).toEqual(['etcd-0']);
    expect(names('cpus > 2')).toEqual(['api']);
  });

  it('matches inside lists and supports eq/ne regular expressions', () => {
    expect(names('networkInterfaces.network = b')).toEqual(['web']);
    expect(names('name eq etcd-.*')).toEqual(['etcd-0']);
    expect(names('name ne "etcd-.*"')).toEqual(['api', 'web']);
  });

  it('rejects malformed filters with a 400', () => {
    expect(() => compileFilter('labels.a =')).toThrow(/filter/);
    expect(() => compileFilter('(name = a')).toThrow(/filter/);
  });

  it('pages in name order', () => {
    const first = paginate(items, new URLSearchParams({ maxResults: '2' }));
    expect(first.items.map((i) => i.name)).toEqual(['api', 'etcd-0']);
    const second = paginate(
      items,
      new URLSearchParams({ maxResults: '2', pageToken: first.nextPageToken ?? '' }),
    );
    expect(second.items.map((i) => i.name)).toEqual(['web']);
    expect(second.nextPageToken).toBeUndefined();
  });
});
