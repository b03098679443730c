import { badPayload, type GceApiError, invalidField } from './errors.js';
import { isJsonObject, type Json } from './json.js';
import { type ApiRoute, computeProtos, type ProtoField, type ProtoType } from './protos.js';

/**
 * Checks request bodies and query strings against the compute API's proto messages, the way
 * Google's front end does before GCE sees a request: an unknown field, a value of the wrong type
 * or an enum value the API does not define is a 400 `INVALID_ARGUMENT`.
 */

/** Query parameters every Google API accepts besides the request message's own fields. */
const SYSTEM_QUERY_PARAMS = new Set([
  '$alt',
  'alt',
  '$prettyPrint',
  'prettyPrint',
  'fields',
  '$fields',
  'key',
  'quotaUser',
  'userIp',
  'access_token',
  'callback',
  '$callback',
  'uploadType',
  'upload_protocol',
]);

function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const INTEGER = /^-?\d+$/;

function scalarOk(type: string, value: Json): boolean {
  switch (type) {
    case 'string':
    case 'bytes':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'int32':
    case 'uint32':
    case 'sint32':
    case 'fixed32':
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
      return (
        (typeof value === 'number' && Number.isInteger(value)) ||
        (typeof value === 'string' && INTEGER.test(value))
      );
    case 'double':
    case 'float':
      return (
        typeof value === 'number' ||
        (typeof value === 'string' &&
          (Number.isFinite(Number(value)) || ['NaN', 'Infinity', '-Infinity'].includes(value)))
      );
    default:
      return false;
  }
}

const SCALARS = new Set([
  'string',
  'bytes',
  'bool',
  'int32',
  'uint32',
  'sint32',
  'fixed32',
  'int64',
  'uint64',
  'sint64',
  'fixed64',
  'double',
  'float',
]);

/** Resolves a field's type name from the innermost message outwards, as protobuf does. */
function resolveType(name: string, scopes: readonly ProtoType[]): ProtoType | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const found = scopes[i]?.nested?.[name];
    if (found) return found;
  }
  return computeProtos().messages[name];
}

/**
 * The enum GCE declares for a string field (`type` → `Type`, `IPProtocol` → `IPProtocolEnum`),
 * when it can be trusted. The generated protos drop every value name two sibling enums share
 * (`PROACTIVE`, `NONE` are missing from `InstanceGroupManagerUpdatePolicy`'s enums), so only an
 * enum that is alone in its message is complete enough to reject values with.
 */
function enumFor(message: ProtoType, field: string): ProtoType | undefined {
  const enums = Object.values(message.nested ?? {}).filter((t) => t.values !== undefined);
  if (enums.length !== 1) return undefined;
  const pascal = field.charAt(0).toUpperCase() + field.slice(1);
  const candidate = message.nested?.[pascal] ?? message.nested?.[`${pascal}Enum`];
  return candidate?.values ? candidate : undefined;
}

function checkValue(
  field: ProtoField,
  fieldName: string,
  value: Json,
  owner: ProtoType,
  scopes: readonly ProtoType[],
  where: string,
  jsonWhere: string,
): GceApiError | undefined {
  if (value === null) return undefined;
  if (SCALARS.has(field.type)) {
    if (!scalarOk(field.type, value)) {
      return badPayload(
        `Invalid value at '${where}' (TYPE_${field.type.toUpperCase()}), ${JSON.stringify(value)}`,
      );
    }
    const allowed = field.type === 'string' ? enumFor(owner, fieldName) : undefined;
    if (allowed?.values && typeof value === 'string' && !(value in allowed.values)) {
      return invalidField(jsonWhere, value, 'Unexpected enum value.');
    }
    return undefined;
  }
  if (field.type === 'google.protobuf.Any' || field.type.startsWith('google.protobuf.')) {
    return undefined;
  }
  const type = resolveType(field.type, scopes);
  if (!type) return undefined;
  if (type.values) {
    return typeof value === 'string' && !(value in type.values)
      ? invalidField(jsonWhere, value, 'Unexpected enum value.')
      : undefined;
  }
  return checkMessage(type, value, [...scopes, type], where, jsonWhere);
}

function checkMessage(
  message: ProtoType,
  value: Json,
  scopes: readonly ProtoType[],
  where: string,
  jsonWhere: string,
): GceApiError | undefined {
  if (!isJsonObject(value)) {
    return badPayload(
      `Invalid JSON payload received. Expected an object at '${where}', got ${JSON.stringify(value)}.`,
    );
  }
  const fields = message.fields ?? {};
  for (const [name, fieldValue] of Object.entries(value)) {
    const field = fields[name];
    if (!field) {
      return badPayload(
        `Invalid JSON payload received. Unknown name ${JSON.stringify(name)} at '${where}': Cannot find field.`,
      );
    }
    const childWhere = `${where}.${camelToSnake(name)}`;
    const childJsonWhere = `${jsonWhere}.${name}`;
    if (field.keyType !== undefined) {
      if (!isJsonObject(fieldValue)) {
        if (fieldValue === null) continue;
        return badPayload(`Invalid JSON payload received. Expected a map at '${childWhere}'.`);
      }
      for (const [key, entry] of Object.entries(fieldValue)) {
        const error = checkValue(
          field,
          name,
          entry,
          message,
          scopes,
          `${childWhere}[${key}]`,
          `${childJsonWhere}.${key}`,
        );
        if (error) return error;
      }
      continue;
    }
    if (field.rule === 'repeated') {
      if (!Array.isArray(fieldValue)) {
        if (fieldValue === null) continue;
        return badPayload(`Invalid JSON payload received. Expected a list at '${childWhere}'.`);
      }
      for (const [i, entry] of fieldValue.entries()) {
        const error = checkValue(
          field,
          name,
          entry,
          message,
          scopes,
          `${childWhere}[${i}]`,
          `${childJsonWhere}[${i}]`,
        );
        if (error) return error;
      }
      continue;
    }
    const error = checkValue(field, name, fieldValue, message, scopes, childWhere, childJsonWhere);
    if (error) return error;
  }
  return undefined;
}

/**
 * Checks a JSON value against a compute message type. Returns the 400 error GCE would send, or
 * `undefined` when the value fits. `rootName` names the body in messages, e.g. `resource`.
 */
export function validateMessage(
  typeName: string,
  value: Json,
  rootName: string,
): GceApiError | undefined {
  const type = computeProtos().messages[typeName];
  if (!type) throw new Error(`unknown compute message type ${typeName}`);
  // GCE names fields in semantic errors from `resource`, whatever the body field is called.
  return checkMessage(type, value, [type], rootName, 'resource');
}

/** Checks the query parameters of a request against the method's request message. */
export function validateQuery(route: ApiRoute, query: URLSearchParams): GceApiError | undefined {
  for (const name of query.keys()) {
    if (SYSTEM_QUERY_PARAMS.has(name) || route.queryParams.has(name)) continue;
    return badPayload(
      `Invalid JSON payload received. Unknown name ${JSON.stringify(name)}: Cannot bind query parameter. Field '${name}' could not be found in request message.`,
    );
  }
  return undefined;
}
