/**
 * The Relay `Node` interface. Every record type extends `NodeRecord`, whose `id` field is the opaque
 * global id built from the GraphQL type name (= the entity class name) and the database id.
 */
import { Field, ID, InterfaceType } from 'type-graphql';
import { toGlobalId } from './global-id';

/** Every record's GraphQL type is named after its entity class; abstract types resolve by it. */
export const typeNameOf = (value: object): string => value.constructor.name;

@InterfaceType('Node', {
  description: 'An object with an opaque global id, fetchable with `node(id)`.',
  resolveType: typeNameOf,
})
export abstract class NodeRecord {
  /** The database id; never exposed as such. */
  id: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId(this.constructor.name, this.id);
  }
}

/** How `node(id)` fetches each type, through the same scoped loaders as the type's own queries. */
export type NodeLoader = (ctx: import('../../app/context').Context, id: number) => Promise<object | null>;
export const nodeLoaders = new Map<string, NodeLoader>();
