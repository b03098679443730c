/** Points at one resource of the desired graph. A {@link Resource} is itself a reference. */
export interface ResourceRef {
  /** The resource type, for example `gce.network`. */
  readonly type: string;
  /** The resource name, unique within its type. */
  readonly name: string;
}

/** A node of the desired graph: one cloud object as the provider wants it to be. */
export interface Resource<Spec = unknown> extends ResourceRef {
  /** What the object should look like; the resource type interprets it. */
  readonly spec: Spec;
  /** Resources that must exist (be created or updated) before this one. @default [] */
  readonly dependsOn?: readonly ResourceRef[];
  /**
   * Resources this one refers to in the cloud (by name, id or URL), which the cloud will not
   * delete while this one exists — a subnet's network, an instance group's template. Each must
   * also be in `dependsOn`. When one of them is replaced, this resource is deleted before it and
   * created again after it, instead of blocking its deletion ("in use") for good. Leave out
   * dependencies that are only about order. @default []
   */
  readonly references?: readonly ResourceRef[];
  /**
   * Top-level spec fields whose values are secret. A plan shows a marker (or, given a
   * `secretKey`, a keyed hash) instead of the value. Put the revealed value itself in the spec,
   * not a `Secret`: the engine must compare it to see a rotation. @default []
   */
  readonly secretFields?: readonly string[];
  /**
   * Resources of one serial group are changed one at a time: each update or replace of the
   * group waits until the one before it (in graph order) has finished, so a group whose members
   * must keep a quorum (etcd) never restarts two at once. The provider's update and create
   * should return only once the member is healthy again. Creates and deletes are not ordered
   * (a new cluster's members must boot together), nor are re-creations forced by a replaced
   * object they refer to (that object cannot go while any of them exists). @default none
   */
  readonly serialGroup?: string;
}

/** The identity of a resource in plans and events: `type/name`. */
export function resourceId(ref: ResourceRef): string {
  return `${ref.type}/${ref.name}`;
}
