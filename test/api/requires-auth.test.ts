/**
 * Every operation in the schema, called without a token (and with a forged one), is refused with
 * UNAUTHENTICATED before it runs — except the few declared public. Generated from the schema, so a
 * new operation is covered the moment it exists.
 */
import { getNamedType, GraphQLField, GraphQLObjectType, isCompositeType, isNonNullType } from 'graphql';
import { DataSource } from 'typeorm';
import { buildSchema } from '../../src/app/build-schema';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';

const PUBLIC = new Set(['mutation.login', 'mutation.refreshToken']);

let ds: DataSource;
let t: TestApp;
let operations: { name: string; document: string }[];

function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const vars = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind} Op${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

beforeAll(async () => {
  const schema = await buildSchema();
  const fieldsOf = (type: GraphQLObjectType | null | undefined) => Object.values(type?.getFields() ?? {});
  operations = [
    ...fieldsOf(schema.getQueryType()).map((f) => ({ name: `query.${f.name}`, document: documentFor('query', f) })),
    ...fieldsOf(schema.getMutationType()).map((f) => ({ name: `mutation.${f.name}`, document: documentFor('mutation', f) })),
  ];
  ds = await openTestDatabase();
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

it('covers every operation of the schema', () => {
  expect(operations.length).toBeGreaterThan(20);
});

it('refuses every non-public operation without a token, before it runs', async () => {
  const answers: Record<string, string> = {};
  for (const op of operations.filter((o) => !PUBLIC.has(o.name))) {
    const res = await t.gql(op.document, {});
    answers[op.name] = `${res.errors?.[0]?.extensions?.code}${res.data ? ' with data' : ''}`;
  }
  const wrong = Object.entries(answers).filter(([, answer]) => answer !== 'UNAUTHENTICATED');
  expect(wrong).toEqual([]);
});

it('refuses them with a forged token too', async () => {
  const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwic2lkIjoieCJ9.c2lnbmF0dXJl';
  for (const op of operations.filter((o) => !PUBLIC.has(o.name)).slice(0, 10)) {
    const res = await t.gql(op.document, {}, forged);
    expect({ op: op.name, code: res.errors?.[0]?.extensions?.code }).toEqual({ op: op.name, code: 'UNAUTHENTICATED' });
  }
});

it('leaves the public operations open', async () => {
  const res = await t.gql('mutation { login(input: { username: "nobody", password: "x" }) { accessToken } }');
  expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED'); // the login itself failed, it was not refused
  expect(res.errors?.[0]?.message).toBe('Invalid username or password');
});
