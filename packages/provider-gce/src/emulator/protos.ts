import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The compute API's own message and service shapes, read from the JSON protos that
 * `@google-cloud/compute` ships. The emulator never loads the client's JavaScript (≈110 MB, slow
 * to import); it reads this one file, lazily and once, on the first request that needs it.
 */

/** One field of a proto message; names are the REST JSON names (`IPAddress`, `selfLink`). */
export interface ProtoField {
  readonly type: string;
  readonly rule?: string;
  readonly keyType?: string;
}

/** A proto message or enum, with the types nested in it. */
export interface ProtoType {
  readonly fields?: Readonly<Record<string, ProtoField>>;
  readonly values?: Readonly<Record<string, number>>;
  readonly nested?: Readonly<Record<string, ProtoType>>;
  readonly methods?: Readonly<Record<string, ProtoMethod>>;
}

/** A service method with its HTTP binding options. */
export interface ProtoMethod {
  readonly requestType: string;
  readonly responseType: string;
  readonly options?: Readonly<Record<string, string>>;
}

/** One REST method of the compute API, compiled for matching. */
export interface ApiRoute {
  /** Service name, e.g. `RegionInstanceGroupManagers`. */
  readonly service: string;
  /** Method name, e.g. `Insert`. */
  readonly method: string;
  /** Upper-case HTTP method. */
  readonly httpMethod: string;
  /** The path template, e.g. `/compute/v1/projects/{project}/global/networks/{network}`. */
  readonly template: string;
  /** The request body's field name in snake_case (`instance_group_manager_resource`). */
  readonly bodyField: string | undefined;
  /** The message type of the request body, e.g. `InstanceGroupManager`. */
  readonly bodyType: string | undefined;
  /** The response message type, e.g. `Operation`. */
  readonly responseType: string;
  /** Query parameters the request message allows (JSON names). */
  readonly queryParams: ReadonlySet<string>;
  readonly segments: readonly string[];
  readonly literalCount: number;
}

/** The loaded protos: messages by name and the route table. */
export interface ComputeProtos {
  /** Top-level messages of `google.cloud.compute.v1`. */
  readonly messages: Readonly<Record<string, ProtoType>>;
  /** Routes grouped by `"<METHOD> <segment count>"` for quick matching. */
  readonly routes: ReadonlyMap<string, readonly ApiRoute[]>;
}

let loaded: ComputeProtos | undefined;

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function compileRoutes(messages: Readonly<Record<string, ProtoType>>): Map<string, ApiRoute[]> {
  const routes = new Map<string, ApiRoute[]>();
  for (const [service, type] of Object.entries(messages)) {
    for (const [method, spec] of Object.entries(type.methods ?? {})) {
      const options = spec.options ?? {};
      const verb = HTTP_VERBS.find((v) => options[`(google.api.http).${v}`] !== undefined);
      if (!verb) continue;
      const template = options[`(google.api.http).${verb}`] ?? '';
      const bodyField = options['(google.api.http).body'];
      const requestFields = messages[spec.requestType]?.fields ?? {};
      const bodyCamel = bodyField === undefined ? undefined : snakeToCamel(bodyField);
      const segments = template.split('/').filter((s) => s !== '');
      const pathParams = new Set(
        segments.filter((s) => s.startsWith('{')).map((s) => snakeToCamel(s.slice(1, -1))),
      );
      const queryParams = new Set(
        Object.keys(requestFields).filter((f) => !pathParams.has(f) && f !== bodyCamel),
      );
      const route: ApiRoute = {
        service,
        method,
        httpMethod: verb.toUpperCase(),
        template,
        bodyField,
        bodyType: bodyCamel === undefined ? undefined : requestFields[bodyCamel]?.type,
        responseType: spec.responseType,
        queryParams,
        segments,
        literalCount: segments.filter((s) => !s.startsWith('{')).length,
      };
      const key = `${route.httpMethod} ${segments.length}`;
      const bucket = routes.get(key) ?? [];
      bucket.push(route);
      routes.set(key, bucket);
    }
  }
  // More literal segments first, so `…/operations/{operation}/wait` wins over a `{name}/{verb}`.
  for (const bucket of routes.values()) bucket.sort((a, b) => b.literalCount - a.literalCount);
  return routes;
}

/** The single place the parsed JSON is given its shape: protos.json is protobufjs's format. */
function readProtosFile(): Readonly<Record<string, ProtoType>> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@google-cloud/compute/build/protos/protos.json');
  const root = JSON.parse(readFileSync(file, 'utf8')) as {
    nested?: { google?: { nested?: { cloud?: { nested?: { compute?: ProtoPackage } } } } };
  };
  const v1 = root.nested?.google?.nested?.cloud?.nested?.compute?.nested?.v1?.nested;
  if (!v1) throw new Error('protos.json has no google.cloud.compute.v1 package');
  return v1;
}

interface ProtoPackage {
  readonly nested?: { readonly v1?: { readonly nested?: Readonly<Record<string, ProtoType>> } };
}

/** The compute protos, loaded on first use. */
export function computeProtos(): ComputeProtos {
  if (!loaded) {
    const messages = readProtosFile();
    loaded = { messages, routes: compileRoutes(messages) };
  }
  return loaded;
}

/** The compute REST method a request addresses, or `undefined` if the API has none. */
export function matchRoute(httpMethod: string, pathname: string): ApiRoute | undefined {
  const segments = pathname.split('/').filter((s) => s !== '');
  const bucket = computeProtos().routes.get(`${httpMethod} ${segments.length}`) ?? [];
  return bucket.find((route) =>
    route.segments.every((s, i) => s.startsWith('{') || s === segments[i]),
  );
}
