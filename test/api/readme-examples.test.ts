/** The README's GraphQL examples run as written, as the demo account named in their first line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { User } from '../../src/modules/user/user.entity';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { LIER_NAME, DEMO_PASSWORD } from '../../src/seed/demo-data';
import { seedDemoData } from '../../src/seed/seed';
import { startTestApp, TestApp } from '../helpers/app';
import { openOwnDatabase } from '../helpers/database';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n# as: (\S+)\n(?:# variables: (.*)\n)?([\s\S]*?)```/g)].map((m) => ({
  as: m[1],
  variables: m[2] ? (JSON.parse(m[2]) as Record<string, unknown>) : {},
  query: m[3],
}));

let ds: DataSource;
let t: TestApp;

beforeAll(async () => {
  ds = await openOwnDatabase('readme'); // exactly the demo data: the examples must show it
  await seedDemoData(ds);
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

it('finds the examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(5);
});

it.each(examples.map((e) => [e.query.match(/(query|mutation) (\w+)/)?.[2] ?? 'example', e]))('%s runs without errors and returns data', async (_name, example) => {
  const lier = await ds.manager.findOneByOrFail(Enterprise, { name: LIER_NAME });
  const fucheng = await ds.manager.findOneByOrFail(User, { username: 'fucheng' });
  const query = example.query
    .replace('$LIER_ENTERPRISE_ID', toGlobalId('Enterprise', lier.id))
    .replace('$FUCHENG_USER_ID', toGlobalId('User', fucheng.id));
  const token = example.as === 'anonymous' ? undefined : await t.login(example.as, DEMO_PASSWORD);
  const res = await t.gql(query, example.variables, token);
  expect(res.errors).toBeUndefined();
  const data = JSON.stringify(res.data);
  expect(data).not.toMatch(/"edges":\[\]/); // each example shows something
});
