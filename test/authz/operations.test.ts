/**
 * Deny by default: every query and mutation in the schema declares its permission. The committed
 * snapshot maps each operation to its requirement, so a permission change shows up in review.
 */
import { getMetadataStorage } from 'type-graphql';
import { buildSchema } from '../../src/app/build-schema';
import { describeRequirement, operationRequirements } from '../../src/core/authz/operation';

beforeAll(() => buildSchema());

function operations() {
  const storage = getMetadataStorage();
  return [
    ...storage.queries.map((q) => ({ kind: 'Query', ...q })),
    ...storage.mutations.map((m) => ({ kind: 'Mutation', ...m })),
  ].map((op) => ({ name: `${op.kind}.${op.schemaName}`, key: `${op.target.name}.${op.methodName}` }));
}

it('every operation declares what it needs', () => {
  const undeclared = operations().filter((op) => !operationRequirements.has(op.key)).map((op) => op.name);
  expect(undeclared).toEqual([]);
});

it('operation requirements match the committed snapshot', () => {
  const table = Object.fromEntries(
    operations()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((op) => [op.name, describeRequirement(operationRequirements.get(op.key)!)]),
  );
  expect(table).toMatchSnapshot();
});
