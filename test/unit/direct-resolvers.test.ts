/** Field resolvers called directly (app/direct-resolvers) answer exactly as through type-graphql's wrapper. */
import 'reflect-metadata';
import { GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { buildSchema } from '../../src/app/build-schema';
import { sensitiveFields } from '../../src/core/authz/field-guard';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { Project } from '../../src/modules/project/project.entity';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

const field = (type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name];
const info = {} as GraphQLResolveInfo;

it('replaces the wrapper of every field resolver without middleware', () => {
  const external = getMetadataStorage().fieldResolvers.filter((r) => r.kind === 'external' && !r.middlewares?.length);
  expect(external.length).toBeGreaterThan(40);
  const direct = external.filter((r) => {
    const type = getMetadataStorage().objectTypes.find((o) => o.target === r.getObjectType?.())!.name;
    return field(type, r.schemaName).resolve?.name === 'direct';
  });
  expect(direct.map((r) => r.schemaName)).toEqual(external.map((r) => r.schemaName));
});

it('passes an entity root as is, and converts any other root through type-graphql as before', () => {
  const techniques = field('Project', 'techniques').resolve!;
  const row = Object.assign(new Project(), { techniqueFlags: 0b101 });
  expect(techniques(row, {}, {}, info)).toEqual(['SMART', 'GREEN']);
  // A plain object (not a Project) takes the original wrapper, which makes it one.
  expect(techniques({ techniqueFlags: 0b10 }, {}, {}, info)).toEqual(['DIGITAL']);
});

it('reads plain fields directly: inline on entity rows and edges, through a function where values may be promises', () => {
  // Entity columns (inherited ones too) and edges take graphql's default resolver, which compiled execution inlines.
  expect(field('Project', 'name').resolve).toBeUndefined();
  expect(field('Project', 'version').resolve).toBeUndefined();
  expect(field('ProjectEdge', 'node').resolve).toBeUndefined();
  expect(field('ProjectConnection', 'edges').resolve).toBeUndefined();
  // The global id is a getter under another name; totalCount is a promise: both stay functions.
  const row = Object.assign(new Project(), { id: 7 });
  expect(field('Project', 'id').resolve!(row, {}, {}, info)).toBe(toGlobalId('Project', 7));
  const total = Promise.resolve(3);
  expect(field('ProjectConnection', 'totalCount').resolve!({ totalCount: total }, {}, {}, info)).toBe(total);
});

it('keeps every hideable field guarded', () => {
  const guarded = [...sensitiveFields].flatMap(([type, names]) => [...names].map((name) => [type, name] as const));
  expect(guarded.length).toBeGreaterThan(5);
  for (const [type, name] of guarded) expect({ type, name, guarded: field(type, name).resolve !== undefined }).toEqual({ type, name, guarded: true });
  // The guard still runs: without a viewer a hideable field answers null.
  return expect(Promise.resolve(field('Enterprise', 'contactPhone').resolve!({ contactPhone: '1' }, {}, {}, info))).resolves.toBeNull();
});
