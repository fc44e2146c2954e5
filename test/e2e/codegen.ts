/**
 * GraphQL Code Generator as a frontend team would set it up against the committed schema: the
 * schema's types (`typescript`) in one file, and a type for each operation document and its
 * variables (`typescript-operations`, which since v6 imports the schema types it uses) in another.
 *
 * codegen.test.ts runs it into a temporary folder (CODEGEN_OUT; CODEGEN_DOCUMENTS replaces the
 * documents) and type-checks the result. `strictScalars` makes a custom scalar without a client
 * type an error, so a new scalar in the schema has to be given one here.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

// Outside the repository by default: generated files are a frontend's, not this project's.
const out = process.env.CODEGEN_OUT ?? join(tmpdir(), 'techtransform-codegen');
const shared = {
  strictScalars: true,
  // Decimal travels as a string (exact money in 万元), Month as "YYYY-MM", DateTimeISO as an ISO string.
  scalars: { Decimal: 'string', Month: 'string', DateTimeISO: 'string', JSON: 'unknown' },
  useTypeImports: true,
};

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: process.env.CODEGEN_DOCUMENTS ?? 'test/e2e/operations/*.graphql',
  generates: {
    // Enums as unions of string literals: what the API sends, with no runtime code.
    [join(out, 'schema-types.ts')]: { plugins: ['typescript'], config: { ...shared, enumsAsTypes: true } },
    [join(out, 'operations.ts')]: {
      plugins: ['typescript-operations'],
      config: { ...shared, enumType: 'string-literal', importSchemaTypesFrom: relative(process.cwd(), join(out, 'schema-types.ts')) },
    },
  },
};

export default config;
