import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README and docs/*.md: links that resolve, a spec reference that matches the schema, the
// README's SDK example identical to a file CI runs, and Mermaid diagrams mermaid itself parses.
const root = resolve(new URL('../..', import.meta.url).pathname);
const docs = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => join('docs', name));
const pages = ['README.md', ...docs];
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Markdown without fenced code blocks, where a `[x](y)` is code, not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** Every fenced block of a language, in order. */
function fenced(markdown: string, language: string): string[] {
  const pattern = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm');
  return [...markdown.matchAll(pattern)].map((match) => match[1] ?? '');
}

/** GitHub's heading anchors: lowercase, punctuation but - and _ dropped, spaces to -. */
function anchors(markdown: string): Set<string> {
  const headings = prose(markdown).match(/^#{1,6} .*$/gm) ?? [];
  return new Set(
    headings.map((heading) =>
      heading
        .replace(/^#+ /, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('README.md and docs/*.md', () => {
  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const text = read(page);
      for (const [, target = ''] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
        checked += 1;
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? join(root, page) : resolve(dirname(join(root, page)), path);
        if (!existsSync(file)) {
          broken.push(`${page}: ${target} (no such file)`);
        } else if (anchor !== undefined && statSync(file).isFile() && file.endsWith('.md')) {
          if (!anchors(readFileSync(file, 'utf8')).has(anchor)) {
            broken.push(`${page}: ${target} (no such heading)`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
    // The pages are full of links: a parser that found none would pass vacuously.
    expect(checked).toBeGreaterThan(50);
  });

  it('are all reachable from the README', () => {
    const readme = read('README.md');
    const unlinked = docs.filter((page) => !readme.includes(`](${page})`));
    expect(unlinked).toEqual([]);
  });

  it('keep docs/spec.md as scripts/write-spec-doc.mjs writes it (run `npm run schema`)', async () => {
    const script = new URL('../../scripts/write-spec-doc.mjs', import.meta.url).href;
    const { specReference } = (await import(script)) as {
      specReference: (schema: unknown) => string;
    };
    const schema: unknown = JSON.parse(read('docs/cluster-spec.schema.json'));
    expect(read('docs/spec.md')).toBe(specReference(schema));
  });

  it('show the README SDK example exactly as examples/quick-start.ts, which CI runs', () => {
    expect(fenced(read('README.md'), 'ts')).toEqual([read('examples/quick-start.ts')]);
  });
});

describe('the spec reference generator', () => {
  it('documents every field of the schema, with its default, and follows a change', async () => {
    const script = new URL('../../scripts/write-spec-doc.mjs', import.meta.url).href;
    const { specReference } = (await import(script)) as {
      specReference: (schema: unknown) => string;
    };
    const schema = JSON.parse(read('docs/cluster-spec.schema.json')) as SchemaNode;
    const reference = specReference(schema);
    const fields: string[] = [];
    const walk = (node: SchemaNode, path: string[]) => {
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        fields.push([...path, name].join('.'));
        walk(child, [...path, name]);
      }
    };
    walk(schema, []);
    expect(fields.length).toBeGreaterThan(40);
    for (const field of fields) {
      const [parent, name] = [field.split('.').slice(0, -1).join('.'), field.split('.').pop()];
      const section = reference
        .split(/^## /m)
        .find((s) => s.startsWith(`${parent || 'Document'}\n`));
      expect(section, field).toContain(`\`${name}\``);
    }
    expect(reference).toMatch(/^\| `count` \| integer \| `3` \| Number of etcd members/m);

    // A changed description shows up, so a stale reference cannot pass.
    const changed = structuredClone(schema);
    const domain = changed.properties?.spec?.properties?.domain;
    if (domain === undefined) throw new Error('schema without spec.domain');
    domain.description = 'A description that was just changed.';
    expect(specReference(changed)).toContain('A description that was just changed.');
  });
});

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
}

describe('Mermaid diagrams in the docs', () => {
  // mermaid's parser runs in Node with a DOM for its sanitiser; happy-dom provides one.
  const window = new Window();
  beforeAll(() => {
    Object.assign(globalThis, { window, document: window.document });
  });
  afterAll(async () => {
    await window.happyDOM.close();
  });

  const diagrams = pages.flatMap((page) =>
    fenced(read(page), 'mermaid').map((text, index) => ({ page, index, text })),
  );

  it('exist in docs/architecture.md', () => {
    expect(diagrams.filter((d) => d.page === 'docs/architecture.md').length).toBeGreaterThan(2);
  });

  it('parse with mermaid, which rejects a broken one', async () => {
    const { default: mermaid } = await import('mermaid');
    for (const { page, index, text } of diagrams) {
      await expect(mermaid.parse(text), `${page} diagram ${index + 1}`).resolves.toBeTruthy();
    }
    await expect(mermaid.parse('flowchart LR\n  a -->> [b\n')).rejects.toThrow();
  });
});
