/**
 * Every mutation of the schema, fed invalid input field by field: wrong types, empty, oversized
 * and control-character strings, negative / huge / over-precise decimals, invalid enums and months,
 * unknown ids, ids of another type, stale versions. Each answer must be a coded error (never
 * INTERNAL_SERVER_ERROR or HTTP 500), input errors must name the field, and no table may change.
 * Generated from the schema, so new mutations are swept as soon as they exist.
 */
import { createHash } from 'node:crypto';
import {
  getNamedType, GraphQLInputField, GraphQLInputObjectType, GraphQLNamedType, GraphQLSchema, isEnumType, isInputObjectType,
  isListType, isNonNullType, isScalarType, GraphQLInputType,
} from 'graphql';
import { DataSource } from 'typeorm';
import { buildSchema } from '../../src/app/build-schema';
import { ENTITIES } from '../../src/core/db/entities';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createProject } from '../helpers/domain-factories';
import { bind, createUserWithRole } from '../helpers/factories';

/** Codes a refused mutation may answer with. */
const CODED = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'INVALID_TRANSITION', 'UNAUTHENTICATED']);
/** Mutations whose normal effect is on sessions, not data. */
const SESSION_MUTATIONS = new Set(['login', 'refreshToken', 'logout']);

let ds: DataSource;
let t: TestApp;
let token: string;
let schema: GraphQLSchema;
let existing: Record<string, string>;

async function checksum(): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const entity of ENTITIES) {
    const meta = ds.getMetadata(entity);
    if (meta.tableName === 'refresh_tokens') continue; // sessions, not data
    const rows = await ds.manager.createQueryBuilder(entity, 'x').orderBy(`x.${meta.primaryColumns[0].propertyName}`).getRawMany();
    sums[meta.tableName] = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  }
  return sums;
}

/** The record type an id field points at, from its name and its mutation (updateProject → Project). */
function idType(field: string, mutation: string): string {
  if (field !== 'id') return field.replace(/Ids?$/, '').replace(/^./, (c) => c.toUpperCase()).replace(/^(Territory|Park|Scope|Parent|ScopeUnit)$/, 'OrgUnit');
  const match = /^(?:[a-z]+)([A-Z]\w*)$/.exec(mutation);
  const known = ['MonthlyReport', 'FundApplication', 'FundProgram', 'LandRequest', 'Enterprise', 'Project', 'OrgUnit', 'RoleBinding', 'Role', 'User'];
  return known.find((k) => match?.[1].includes(k)) ?? 'Project';
}

/** A plausible value for a field, so that the one invalid field is what the server must refuse. */
function plausible(type: GraphQLInputType, field: string, mutation: string): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, field, mutation);
  if (isListType(type)) return [plausible(type.ofType, field, mutation)];
  const named = getNamedType(type) as GraphQLNamedType;
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) return plausibleObject(named, mutation);
  switch (named.name) {
    case 'ID':
      return existing[idType(field, mutation)] ?? existing.Project;
    case 'Int':
      return /version/i.test(field) ? 1 : /year/i.test(field) ? 2026 : 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'Decimal':
      return '1';
    case 'Month':
      return '2026-01';
    case 'DateTime':
      return '2026-01-01T00:00:00.000Z';
    default:
      return /password/i.test(field) ? 'Str0ng-password!' : 'text';
  }
}

function plausibleObject(type: GraphQLInputObjectType, mutation: string): Record<string, unknown> {
  return Object.fromEntries(Object.values(type.getFields()).map((f) => [f.name, plausible(f.type, f.name, mutation)]));
}

/** Invalid values for one field, by its type. */
function invalidValues(field: GraphQLInputField, mutation: string): { label: string; value: unknown }[] {
  const named = getNamedType(field.type);
  const values: { label: string; value: unknown }[] = [{ label: 'wrong type', value: { nested: true } }];
  if (isNonNullType(field.type)) values.push({ label: 'null', value: null });
  if (isEnumType(named)) values.push({ label: 'unknown enum', value: 'NOT_A_VALUE' });
  if (isScalarType(named)) {
    switch (named.name) {
      case 'String':
        // An empty optional string is a valid way to clear a field; empty is invalid only where a value is required.
        if (isNonNullType(field.type)) values.push({ label: 'empty', value: '' });
        values.push({ label: 'oversized', value: 'x'.repeat(10_001) }, { label: 'control characters', value: 'a\u0000b\u0007' });
        break;
      case 'Decimal':
        values.push(
          { label: 'negative', value: '-1' }, { label: 'huge', value: '1e30' }, { label: 'very large', value: '99999999999999999999' },
          { label: 'over-precise', value: '1.123456789' }, { label: 'not a number', value: 'abc' },
        );
        break;
      case 'Month':
        values.push({ label: 'bad month', value: '2026-13' }, { label: 'not a month', value: 'yesterday' }, { label: 'out of range', value: '2101-01' });
        break;
      case 'Int':
        values.push({ label: 'negative', value: -5 }, { label: 'huge', value: 2 ** 31 + 5 }, { label: 'fraction', value: 1.5 });
        if (/version/i.test(field.name)) values.push({ label: 'stale version', value: 999 });
        break;
      case 'ID':
        values.push(
          { label: 'unknown id', value: toGlobalId(idType(field.name, mutation), 999_999) },
          { label: 'id of another type', value: toGlobalId(idType(field.name, mutation) === 'Enterprise' ? 'Project' : 'Enterprise', 1) },
          { label: 'malformed id', value: '!!!' },
        );
        break;
    }
  }
  return values;
}

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds, { RATE_LIMIT_PER_MINUTE: '1000000' });
  schema = await buildSchema();
  // A user who may do a great deal, so that refusals come from the input, not from missing rules.
  const user = await createUserWithRole(ds, 'jxj_officer', 'MY');
  for (const role of ['admin', 'czj_officer', 'zrzy_officer', 'tjj_officer', 'county_officer']) await bind(ds, user, role, role === 'county_officer' ? 'MY-FC' : 'MY');
  token = await t.login(user.username);
  const enterprise = await createEnterprise(ds, 'MY-FC');
  const project = await createProject(ds, enterprise);
  existing = {
    Enterprise: toGlobalId('Enterprise', enterprise.id),
    Project: toGlobalId('Project', project.id),
    OrgUnit: toGlobalId('OrgUnit', enterprise.territoryId),
    User: toGlobalId('User', user.id),
  };
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

it('refuses every invalid input with a coded error naming the field, and changes nothing', async () => {
  const mutations = Object.values(schema.getMutationType()!.getFields()).filter((m) => !SESSION_MUTATIONS.has(m.name));
  const before = await checksum();
  const failures: string[] = [];
  let cases = 0;
  for (const mutation of mutations) {
    const inputArg = mutation.args.find((a) => a.name === 'input');
    if (!inputArg) continue;
    const inputType = getNamedType(inputArg.type) as GraphQLInputObjectType;
    const base = plausibleObject(inputType, mutation.name);
    for (const field of Object.values(inputType.getFields())) {
      for (const { label, value } of invalidValues(field, mutation.name)) {
        cases++;
        const input = { ...base, [field.name]: value };
        const res = await t.gql(`mutation($input: ${inputArg.type.toString()}) { ${mutation.name}(input: $input) { __typename } }`, { input }, token);
        const error = res.errors?.[0];
        const code = error?.extensions?.code;
        const where = `${mutation.name}.${field.name} (${label})`;
        if (res.status >= 500) failures.push(`${where}: HTTP ${res.status}`);
        else if (!error) failures.push(`${where}: accepted`);
        else if (!CODED.has(code)) failures.push(`${where}: ${code} ${error.message}`);
        else if (code === 'BAD_USER_INPUT' && !error.extensions?.field) failures.push(`${where}: BAD_USER_INPUT without a field: ${error.message}`);
      }
    }
  }
  const after = await checksum();
  const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
  expect(cases).toBeGreaterThan(200);
  expect(failures).toEqual([]);
  expect(changed).toEqual([]);
}, 240_000);
