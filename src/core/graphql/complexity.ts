/**
 * Static cost of an operation, computed before it runs (with its variables): depth, aliases and a
 * complexity where each field costs 1 and a list multiplies the cost of what it contains by how
 * many items it may return — a connection by its `first`/`last` (or the default page size), `nodes`
 * by its number of ids, any other list by a flat estimate.
 */
import {
  FieldNode, FragmentDefinitionNode, getNamedType, getNullableType, GraphQLCompositeType, GraphQLField, GraphQLList, GraphQLSchema,
  isCompositeType, isInterfaceType, isObjectType, Kind, OperationDefinitionNode, SelectionSetNode, valueFromASTUntyped,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './connection';

export interface OperationCost {
  depth: number;
  aliases: number;
  complexity: number;
}

/** Lists that are not connections (an org unit's children, a project's annual plans) are short. */
const PLAIN_LIST_ESTIMATE = 10;

export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): OperationCost {
  let aliases = 0;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();

  const argValue = (field: FieldNode, name: string): unknown => {
    const arg = field.arguments?.find((a) => a.name.value === name);
    return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
  };

  const multiplier = (node: FieldNode, def: GraphQLField<unknown, unknown>, parent: GraphQLCompositeType): number => {
    // A connection's edges are already counted by the connection's page size.
    if (parent.name.endsWith('Connection')) return 1;
    const named = getNamedType(def.type);
    if (named.name.endsWith('Connection')) {
      const size = Number(argValue(node, 'first') ?? argValue(node, 'last') ?? DEFAULT_PAGE_SIZE);
      return Number.isFinite(size) && size > 0 ? size : 1;
    }
    if (getNullableType(def.type) instanceof GraphQLList) {
      const ids = argValue(node, 'ids');
      return Array.isArray(ids) ? ids.length : PLAIN_LIST_ESTIMATE;
    }
    return 1;
  };

  // Returns [cost, depth] of a selection set on `type`; fragments are expanded where spread.
  const walk = (set: SelectionSetNode, type: GraphQLCompositeType, visiting: Set<string>): [number, number] => {
    let cost = 0;
    let depth = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        if (selection.name.value.startsWith('__')) continue;
        const def = isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
        if (!def) continue; // validation has already rejected unknown fields
        const named = getNamedType(def.type);
        if (selection.selectionSet && isCompositeType(named)) {
          const [childCost, childDepth] = walk(selection.selectionSet, named, visiting);
          cost += 1 + multiplier(selection, def, type) * childCost;
          depth = Math.max(depth, 1 + childDepth);
        } else {
          cost += 1;
          depth = Math.max(depth, 1);
        }
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
        const key = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
        if (!fragment || (key && visiting.has(key))) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (key) visiting.add(key);
        const [c, d] = walk(fragment.selectionSet, (condition && isCompositeType(condition) ? condition : type), visiting);
        if (key) visiting.delete(key);
        cost += c;
        depth = Math.max(depth, d);
      }
    }
    return [cost, depth];
  };

  const [complexity, depth] = root ? walk(operation.selectionSet, root, new Set()) : [0, 0];
  return { depth, aliases, complexity };
}
