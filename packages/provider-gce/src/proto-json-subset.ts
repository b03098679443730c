/** A namespace, message, enum or service of a protobuf.js JSON descriptor (`protos.json`). */
export interface ProtoJsonNode {
  readonly nested?: Readonly<Record<string, ProtoJsonNode>>;
  readonly fields?: Readonly<
    Record<string, { readonly type: string; readonly [key: string]: unknown }>
  >;
  readonly methods?: Readonly<
    Record<
      string,
      {
        readonly requestType: string;
        readonly responseType: string;
        readonly [key: string]: unknown;
      }
    >
  >;
  readonly [key: string]: unknown;
}

/**
 * `json` with the package at `packagePath` (`['google', 'cloud', 'compute', 'v1']`) cut down to
 * `services` and the messages and enums they reach through their methods' requests, responses
 * and fields. The package's siblings (the other versions of the API: `v1beta` and `v1small`
 * beside `v1`) are dropped, since a version never refers to another; everything else outside
 * the package is kept. The compute API's JSON describes about a hundred services in `v1` and as
 * many again in `v1beta`; loading all of it into protobuf.js costs some 70 MB of heap, the few
 * `v1` services the provider calls about 5 MB.
 *
 * @throws Error when the package or a service is not in `json`.
 */
export function protoJsonSubset(
  json: ProtoJsonNode,
  packagePath: readonly string[],
  services: readonly string[],
): ProtoJsonNode {
  const pkg = packagePath.reduce<ProtoJsonNode | undefined>(
    (node, name) => node?.nested?.[name],
    json,
  );
  const all = pkg?.nested;
  if (pkg === undefined || all === undefined)
    throw new Error(`No package ${packagePath.join('.')} in the proto JSON.`);
  const prefix = `${packagePath.join('.')}.`;
  const kept = new Set<string>();
  const keepTop = (name: string): void => {
    const node = all[name];
    if (node === undefined || kept.has(name)) return;
    kept.add(name);
    keepReferences(node);
  };
  // A type name is looked up in the message's own nested types first, then in the package;
  // a dotted name (`Operation.Status`) keeps its top-level message whole.
  const keepReferences = (node: ProtoJsonNode): void => {
    for (const field of Object.values(node.fields ?? {})) {
      const name = field.type.replace(/^\./, '').replace(prefix, '');
      const top = name.split('.')[0] ?? name;
      if (node.nested?.[top] === undefined) keepTop(top);
    }
    for (const inner of Object.values(node.nested ?? {})) keepReferences(inner);
  };
  for (const service of services) {
    const node = all[service];
    if (node?.methods === undefined) throw new Error(`No service ${prefix}${service}.`);
    kept.add(service);
    for (const method of Object.values(node.methods)) {
      keepTop(method.requestType.replace(/^\./, '').replace(prefix, ''));
      keepTop(method.responseType.replace(/^\./, '').replace(prefix, ''));
    }
  }
  const subset: ProtoJsonNode = {
    ...pkg,
    nested: Object.fromEntries([...kept].map((name) => [name, all[name] ?? {}])),
  };
  return replaceAt(json, packagePath, subset);
}

/** `node` with the package at `path` replaced, and that package's siblings left out. */
function replaceAt(
  node: ProtoJsonNode,
  path: readonly string[],
  replacement: ProtoJsonNode,
): ProtoJsonNode {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  const child = node.nested?.[head] ?? {};
  const siblings = rest.length === 0 ? {} : node.nested;
  return { ...node, nested: { ...siblings, [head]: replaceAt(child, rest, replacement) } };
}
