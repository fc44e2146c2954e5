/**
 * The committed schema works with GraphQL Code Generator: the documents in ./operations (the ones
 * client.test.ts runs) become typed operations, the output type-checks under `strict`, and the
 * types say what a frontend needs them to say (money is a string, enums are closed, required
 * inputs are required). A document that does not match the schema fails generation.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const bin = (pkg: string, file: string) => join(root, 'node_modules', pkg, file);
const CODEGEN = bin('@graphql-codegen/cli', 'cjs/bin.js');
const TSC = bin('typescript', 'bin/tsc');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codegen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI as `npx graphql-codegen --config test/e2e/codegen.ts` would, into `out`. */
function codegen(out: string, documents?: string) {
  return run(process.execPath, [CODEGEN, '--config', 'test/e2e/codegen.ts'], {
    cwd: root,
    // Under NODE_ENV=test (jest's) the CLI prints nothing, not even why it failed.
    env: { ...process.env, NODE_ENV: 'development', CODEGEN_OUT: out, ...(documents ? { CODEGEN_DOCUMENTS: documents } : {}) },
    timeout: 20_000,
  });
}

/** Compiles against the generated types; each @ts-expect-error must meet an error, or tsc fails. */
const CONSUMER = `
import type { ConstructionStage } from './schema-types';
import type { MeQuery, ProjectsPageQuery, ProjectsPageQueryVariables, RefreshSessionMutationVariables, RenameProjectMutation, RenameProjectMutationVariables, SignInMutation, SignInMutationVariables } from './operations';

type ProjectNode = ProjectsPageQuery['projects']['edges'][number]['node'];
export const money: ProjectNode['totalInvestment'] = '1200.5';
// @ts-expect-error money (Decimal) is an exact string, never a float
export const float: ProjectNode['totalInvestment'] = 1200.5;
export const stage: ConstructionStage = 'UNDER_CONSTRUCTION';
// @ts-expect-error enums are closed
export const unknownStage: ConstructionStage = 'BUILDING';

export const page: ProjectsPageQueryVariables = { first: 3, after: null, filter: { stages: ['UNDER_CONSTRUCTION'], totalInvestment: { min: '500' } } };
// @ts-expect-error the page size is required by this document
export const noPageSize: ProjectsPageQueryVariables = {};
export const endCursor: string | null | undefined = ({} as ProjectsPageQuery).projects.pageInfo.endCursor;

export const rename: RenameProjectMutationVariables = { input: { id: 'UHJvamVjdDox', expectedVersion: 1, name: '新名称' } };
// @ts-expect-error expectedVersion is required: optimistic locking is not optional
export const unversioned: RenameProjectMutationVariables = { input: { id: 'UHJvamVjdDox', name: '新名称' } };
export const version: number = ({} as RenameProjectMutation).updateProject.project.version;

export const signIn: SignInMutationVariables = { input: { username: 'fucheng', password: 'demo1234' } };
export const tokens: [string, string] = [({} as SignInMutation).login.accessToken, ({} as SignInMutation).login.refreshToken];
export const refresh: RefreshSessionMutationVariables = { input: { refreshToken: tokens[1] } };
export const username: string = ({} as MeQuery).me.username;
`;

it('generates typed operations from the committed schema that type-check under strict', async () => {
  await codegen(dir);
  const generated = readFileSync(join(dir, 'operations.ts'), 'utf8');
  for (const type of ['SignInMutation', 'RefreshSessionMutation', 'MeQuery', 'ProjectsPageQuery', 'RenameProjectMutation']) {
    expect(generated).toContain(`export type ${type} =`);
    expect(generated).toContain(`export type ${type}Variables =`);
  }
  // Every scalar has a real type (strictScalars would have failed generation otherwise).
  expect(readFileSync(join(dir, 'schema-types.ts'), 'utf8')).not.toMatch(/:\s*any\b/);

  writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2021', lib: ['es2021'], module: 'commonjs', types: [], isolatedModules: true, noUnusedLocals: true },
      files: ['schema-types.ts', 'operations.ts', 'consumer.ts'],
    }),
  );
  const tsc = await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 20_000 }).catch((e: { stdout: string }) => e);
  expect(tsc.stdout).toBe('');
}, 30_000);

it('refuses a document that does not match the schema', async () => {
  const bad = join(dir, 'Bad.graphql');
  writeFileSync(bad, 'query Bad { projects(first: 1) { edges { node { noSuchField } } } }\n');
  const failed = await codegen(join(dir, 'bad'), bad).then(
    () => null,
    (e: { stdout: string; stderr: string }) => e.stdout + e.stderr,
  );
  expect(failed).toMatch(/Cannot query field "noSuchField" on type "Project"/);
}, 30_000);
