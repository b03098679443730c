import { resourcePath } from '../collection.js';
import { type HandlerContext, ok, type Reply } from '../context.js';
import { badPayload, notFound } from '../errors.js';
import { arrayField, isJsonObject, type JsonObject, objectField, stringField } from '../json.js';
import { selfLinkOf } from '../paths.js';
import type { World } from '../world.js';

/**
 * What runs inside the emulator's VMs: nothing, unless a test plays it. GCE VMs see their
 * instance metadata change (through the metadata server) and write guest attributes (through
 * it too); here a test subscribes to metadata changes with {@link GuestHooks.onMetadata} and
 * writes guest attributes with {@link writeGuestAttribute}, as the software on the VM would.
 */

/** An instance's metadata as it is after a change: its path and its items as a map. */
export interface InstanceMetadataChange {
  /** `projects/P/zones/Z/instances/NAME`. */
  readonly path: string;
  /** The instance's metadata items after the change, by key. */
  readonly items: Readonly<Record<string, string>>;
}

/** Called after an instance's metadata changed (`setMetadata`). */
export type InstanceMetadataListener = (change: InstanceMetadataChange) => void;

/** The metadata listeners of one emulator. */
export class GuestHooks {
  readonly #listeners = new Set<InstanceMetadataListener>();

  /** Subscribes; returns the unsubscribe function. */
  onMetadata(listener: InstanceMetadataListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Tells the listeners, after the current request is answered (as a VM sees it later). A
   * listener that throws is reported as a process warning: it runs outside any request, where
   * an exception would end the process the emulator runs in.
   */
  metadataChanged(change: InstanceMetadataChange): void {
    for (const listener of [...this.#listeners]) {
      setImmediate(() => {
        try {
          listener(change);
        } catch (error) {
          process.emitWarning(
            `GCE emulator: a metadata listener of ${change.path} failed: ${String(error)}`,
          );
        }
      });
    }
  }
}

/** The key of the instance metadata item that lets the VM write guest attributes. */
export const ENABLE_GUEST_ATTRIBUTES_KEY = 'enable-guest-attributes';

/** An instance's metadata items as a map. */
export function metadataItems(instance: JsonObject): Record<string, string> {
  const items: Record<string, string> = {};
  for (const item of arrayField(objectField(instance, 'metadata'), 'items')) {
    if (isJsonObject(item) && typeof item.key === 'string')
      items[item.key] = stringField(item, 'value') ?? '';
  }
  return items;
}

function guestAttributesOf(world: World, path: string): Record<string, string> {
  const stored = objectField(world.metaOf(path), 'guestAttributes');
  return Object.fromEntries(
    Object.entries(stored).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * Writes a guest attribute (`namespace/key`) as the VM at `path` would through its metadata
 * server: refused unless the instance exists and has guest attributes enabled. A re-created
 * instance starts without any (they are kept with the instance's private facts).
 */
export function writeGuestAttribute(
  world: World,
  path: string,
  variableKey: string,
  value: string,
): void {
  const instance = world.require(path);
  if (!/^[^/]+\/[^/]+$/.test(variableKey)) {
    throw badPayload(`a guest attribute is namespace/key, not "${variableKey}"`);
  }
  if (metadataItems(instance)[ENABLE_GUEST_ATTRIBUTES_KEY]?.toUpperCase() !== 'TRUE') {
    throw badPayload(`guest attributes are not enabled on ${path}`);
  }
  const meta = world.metaOf(path);
  world.setMeta(path, {
    ...meta,
    guestAttributes: { ...guestAttributesOf(world, path), [variableKey]: value },
  });
}

/**
 * `instances.getGuestAttributes`: one attribute (`variableKey=ns/key`) or a namespace
 * (`queryPath=ns/`); 404 when nothing matches, as GCE answers.
 */
export function getGuestAttributes(ctx: HandlerContext): Reply {
  const path = resourcePath(ctx);
  const world = ctx.env.world;
  world.require(path);
  const attributes = guestAttributesOf(world, path);
  const selfLink = `${selfLinkOf(path)}/guestAttributes`;
  const variableKey = ctx.query.get('variableKey');
  if (variableKey !== null) {
    const value = attributes[variableKey];
    if (value === undefined) throw notFound(`${path}/guestAttributes/${variableKey}`);
    return ok({ kind: 'compute#guestAttributes', selfLink, variableKey, variableValue: value });
  }
  const queryPath = ctx.query.get('queryPath') ?? '';
  const items = Object.entries(attributes)
    .filter(([key]) => key.startsWith(queryPath))
    .map(([key, value]) => {
      const [namespace = '', name = ''] = key.split('/');
      return { namespace, key: name, value };
    });
  if (items.length === 0) throw notFound(`${path}/guestAttributes/${queryPath}`);
  return ok({ kind: 'compute#guestAttributes', selfLink, queryPath, queryValue: { items } });
}
