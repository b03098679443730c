type Gax = typeof import('google-gax');
type FallbackGrpcClient = InstanceType<Gax['fallback']['GrpcClient']>;
/** A proto JSON descriptor as google-gax takes it. */
export type ProtoJson = Parameters<FallbackGrpcClient['loadProtoJSON']>[0];
type ProtoRoot = ReturnType<FallbackGrpcClient['loadProtoJSON']>;

/**
 * A google-gax instance, for the `gaxInstance` argument of every generated client's
 * constructor, whose REST (`fallback`) transport loads each proto JSON once per process.
 *
 * Every compute client passes the same `protos.json` object (about 12 MB) to `loadProtoJSON`
 * when it is constructed. google-gax caches the loaded root, but finds it by
 * `JSON.stringify`-ing and hashing the whole JSON first: about half a second of CPU and tens of
 * megabytes of garbage for each of the fifteen clients a plan constructs. Here the root is found
 * by the JSON object's identity instead; the first load still goes through google-gax, of what
 * `subset` keeps of the JSON (by default all of it).
 */
export function sharedProtosGax(
  gax: Gax,
  subset: (json: ProtoJson) => ProtoJson = (json) => json,
): Gax {
  const roots = new WeakMap<ProtoJson, ProtoRoot>();
  class SharedProtosGrpcClient extends gax.fallback.GrpcClient {
    override loadProtoJSON(json: ProtoJson, ignoreCache = false): ProtoRoot {
      const known = ignoreCache ? undefined : roots.get(json);
      if (known !== undefined) return known;
      const root = super.loadProtoJSON(subset(json), ignoreCache);
      roots.set(json, root);
      return root;
    }
  }
  return { ...gax, fallback: { ...gax.fallback, GrpcClient: SharedProtosGrpcClient } };
}
