/**
 * Field resolvers called without type-graphql's per-call wrapper.
 *
 * type-graphql wraps every resolver in a function that, on each call, sorts its parameter metadata,
 * looks the resolver instance up in its container and — because its argument validation is async
 * even when validation is off — turns any call with arguments into a `Promise.all`. On a nested page
 * of 50 rows that wrapper made ~15% of all allocations. For a field resolver with no middleware whose
 * parameters are only the context, the root, the info and arguments made of scalars, the wrapper
 * computes nothing else; this replaces it, once at schema build, with a direct call passing the same
 * values. A root that is not already an instance of its type (type-graphql would convert it) goes
 * through the original wrapper; so does every resolver this does not cover.
 */
import { GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type Storage = ReturnType<typeof getMetadataStorage>;
type Param = NonNullable<Storage['fieldResolvers'][number]['params']>[number];
type ParamValue = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/** An `@Args()` class whose fields are all scalars or enums (no input objects to convert). */
function scalarArgsFields(storage: Storage, argsClass: Function): string[] | null {
  const fields: string[] = [];
  for (let cls = argsClass; cls.prototype !== undefined; cls = Object.getPrototypeOf(cls)) {
    const argsType = storage.argumentTypes.find((t) => t.target === cls);
    for (const field of argsType?.fields ?? []) {
      if (storage.inputTypes.some((t) => t.target === field.getType())) return null;
      fields.push(field.name);
    }
  }
  return fields;
}

/** How to compute one parameter directly, or null if only type-graphql's wrapper can. */
function paramValue(storage: Storage, param: Param): ParamValue | null {
  switch (param.kind) {
    case 'context':
      return param.propertyName ? null : (_root, _args, context) => context;
    case 'root':
      return param.propertyName ? null : (root) => root;
    case 'info':
      return (_root, _args, _context, info) => info;
    case 'args': {
      const ArgsClass = param.getType() as new () => object;
      const fields = scalarArgsFields(storage, ArgsClass);
      if (!fields) return null;
      return (_root, args) => {
        const instance = new ArgsClass() as Record<string, unknown>;
        for (const name of fields) if (args[name] !== undefined) instance[name] = args[name];
        return instance;
      };
    }
    default:
      return null;
  }
}

export function callFieldResolversDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const instances = new Map<Function, Record<string, (...params: unknown[]) => unknown>>();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external' || !resolver.getObjectType || resolver.middlewares?.length || resolver.roles?.length) continue;
    const objectClass = resolver.getObjectType() as Function;
    const type = schema.getType(storage.objectTypes.find((o) => o.target === objectClass)?.name ?? '');
    const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    if (!field?.resolve) continue;
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    const values = params.map((param) => paramValue(storage, param));
    if (values.some((v) => v === null)) continue;
    const compute = values as ParamValue[];
    let instance = instances.get(resolver.target);
    if (!instance) instances.set(resolver.target, (instance = new (resolver.target as new () => Record<string, (...params: unknown[]) => unknown>)()));
    const self = instance;
    const method = self[resolver.methodName];
    const wrapped = field.resolve;
    const direct: GraphQLFieldResolver<unknown, unknown> = (root, args, context, info) => {
      if (!(root instanceof objectClass)) return wrapped(root, args, context, info);
      const values = new Array(compute.length);
      for (let i = 0; i < compute.length; i++) values[i] = compute[i](root, args, context, info);
      return method.apply(self, values);
    };
    field.resolve = direct;
  }
}

/**
 * Plain fields read directly. Unless a field is declared `simple`, type-graphql gives every object
 * field a resolver that builds a resolver-data object and runs the (empty) middleware chain just to
 * read `root[property]`. A field with no middleware (no `@Sensitive` guard), no roles, no arguments
 * and no field resolver reads its property instead (`id` reads the `globalId` getter). Where values
 * are never promises — entity rows, and the `syncFields` of other types — it gets graphql's default
 * resolver, which compiled execution inlines as a property read (a resolver function costs it an
 * info object, a path and three closures per field and row); elsewhere (a connection's
 * `totalCount`, viewerCan's answers are promises) a function that reads the property.
 */
export function readFieldsDirectly(schema: GraphQLSchema, entities: readonly Function[], syncFields: ReadonlyMap<Function, ReadonlySet<string> | 'all'>): void {
  const storage = getMetadataStorage();
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const fromInterfaces = storage.interfaceTypes.filter((i) => objectType.interfaceClasses?.includes(i.target)).flatMap((i) => i.fields ?? []);
    const fromSuperclasses: typeof objectType.fields = [];
    for (let cls = Object.getPrototypeOf(objectType.target); cls?.prototype; cls = Object.getPrototypeOf(cls)) {
      fromSuperclasses.push(...(storage.objectTypes.find((o) => o.target === cls)?.fields ?? []));
    }
    for (const meta of [...fromInterfaces, ...fromSuperclasses, ...(objectType.fields ?? [])]) {
      const field = type.getFields()[meta.schemaName];
      if (!field || meta.middlewares?.length || meta.roles?.length || meta.params?.length) continue;
      if (storage.fieldResolvers.some((r) => r.getObjectType?.() === objectType.target && r.schemaName === meta.schemaName)) continue;
      const property = meta.name;
      const sync = entities.includes(objectType.target) ? 'all' : syncFields.get(objectType.target);
      const inline = property === meta.schemaName && (sync === 'all' || sync?.has(property) === true);
      field.resolve = inline ? undefined : (root: Record<string, unknown>) => root[property];
    }
  }
}
