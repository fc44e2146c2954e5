/** Focused checks of the rule → SQL compiler and the rule validator (the property test covers the semantics at large). */
import { createMongoAbility, RawRuleOf, MongoAbility, subject } from '@casl/ability';
import { DataSource } from 'typeorm';
import { compileRulesToSql, RuleCompileError, validateRules } from '../../src/core/authz/rules-to-sql';
import { fieldsOf, isKnownAction, subjectNames, subjectOf } from '../../src/core/authz/registry';
import { Enterprise, EnterpriseScale } from '../../src/modules/enterprise/enterprise.entity';
import { OrgUnit, OrgUnitKind } from '../../src/modules/org/org-unit.entity';
import { ConstructionNature, Project } from '../../src/modules/project/project.entity';
import { User } from '../../src/modules/user/user.entity';
import { BUILT_IN_RULES } from '../../src/seed/role-rules';
import { openTestDatabase } from '../helpers/database';

type Rules = RawRuleOf<MongoAbility>[];

/** Unique codes and names: on MySQL the worker database keeps other test files' rows. */
let sequence = 0;
const unique = (prefix: string) => `${prefix}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${(++sequence).toString(36)}`;

let ds: DataSource;
let projects: Project[];
let parkId: number;

beforeAll(async () => {
  ds = await openTestDatabase();
  const territory = await ds.manager.findOneByOrFail(OrgUnit, { kind: OrgUnitKind.COUNTY });
  parkId = (await ds.manager.findOneByOrFail(OrgUnit, { kind: OrgUnitKind.COUNTY_PARK })).id;
  const enterprise = await ds.manager.save(ds.manager.create(Enterprise, {
    creditCode: unique('U'), name: 'Compiler test', industryCode: 'C34', territoryId: territory.id, scale: EnterpriseScale.ABOVE_SCALE,
  }));
  const project = (park: number | null) => ds.manager.create(Project, {
    name: unique('p'), enterpriseId: enterprise.id, territoryId: territory.id, parkId: park, industryCode: 'C34',
    constructionNature: ConstructionNature.NEW, totalInvestment: '100', equipmentInvestment: '50', plannedStart: '2026-01', plannedCompletion: '2026-12',
  });
  projects = await ds.manager.save([project(null), project(parkId), project(null)]);
});

afterAll(() => ds?.destroy());

const compile = (rules: Rules, subjectName = 'Project', action = 'read') =>
  compileRulesToSql(createMongoAbility(rules), action, subjectName, ds, 'row');

/** Ids of the test's projects that the compiled rules select. */
async function selectedIds(rules: Rules): Promise<number[]> {
  const { sql, params } = compile(rules);
  const rows = await ds.createQueryBuilder(Project, 'row').select('row.id', 'id')
    .where('row.id IN (:...mine)', { mine: projects.map((p) => p.id) }).andWhere(sql, params).orderBy('row.id').getRawMany();
  return rows.map((r: { id: number | string }) => Number(r.id));
}

const allowedInMemory = (rules: Rules) => {
  const ability = createMongoAbility(rules);
  return projects.filter((p) => ability.can('read', subject('Project', { ...p }))).map((p) => p.id);
};

describe('compileRulesToSql', () => {
  it('compiles no rules to 1=0 and selects nothing', async () => {
    expect(compile([])).toEqual({ sql: '1=0', params: {} });
    expect(compile([{ action: 'update', subject: 'Project' }]).sql).toBe('1=0');
    expect(await selectedIds([])).toEqual([]);
  });

  it('compiles an unconditional can to 1=1 and selects every row', async () => {
    expect(compile([{ action: 'read', subject: 'Project' }]).sql).toBe('1=1');
    expect(compile([{ action: 'manage', subject: 'Project' }]).sql).toBe('1=1');
    expect(await selectedIds([{ action: 'read', subject: 'Project' }])).toEqual(projects.map((p) => p.id));
  });

  it('keeps a NULL row under an inverted rule exactly as CASL does', async () => {
    const rules: Rules = [
      { action: 'read', subject: 'Project' },
      { action: 'read', subject: 'Project', inverted: true, conditions: { parkId } },
    ];
    const kept = [projects[0].id, projects[2].id];
    expect(allowedInMemory(rules)).toEqual(kept);
    expect(await selectedIds(rules)).toEqual(kept);
  });

  it('treats NULL in ordering as ucast does: below values >= 0, above negative ones', async () => {
    const lt0: Rules = [{ action: 'read', subject: 'Project', conditions: { parkId: { $lt: 0 } } }];
    const gtNegative: Rules = [{ action: 'read', subject: 'Project', conditions: { parkId: { $gt: -1 } } }];
    for (const rules of [lt0, gtNegative]) expect(await selectedIds(rules)).toEqual(allowedInMemory(rules));
    expect(allowedInMemory(lt0)).toEqual([projects[0].id, projects[2].id]);
  });

  it.each([
    [{ name: { $regex: '^a' } }, /Project\.name: operator "regex"/],
    [{ territoryId: { $all: [1] } }, /Project\.territoryId: operator "all"/],
    [{ territoryId: { $size: 1 } }, /Project\.territoryId: operator "size"/],
    [{ monthlyReports: { $elemMatch: { status: 'OPEN' } } }, /Project\.monthlyReports: operator "elemMatch"/],
    [{ territoryId: { $mod: [2, 0] } }, /Project\.territoryId: operator "\$mod" is not supported/],
    [{ territoryId: { $lt: 5, $mod: [2, 0] } }, /Project: .*"territoryId"/],
    [{ $where: 'true' }, /Project\.\$where: unknown field/],
  ])('refuses the operator in %j', (conditions, message) => {
    expect(() => compile([{ action: 'read', subject: 'Project', conditions }])).toThrow(RuleCompileError);
    expect(() => compile([{ action: 'read', subject: 'Project', conditions }])).toThrow(message);
  });

  it.each([
    [{ totalInvestment: '100' }, /Project\.totalInvestment: rules cannot test a decimal column/],
    [{ statsRegisteredAt: null }, /Project\.statsRegisteredAt: rules cannot test a datetime column/],
    [{ content: null }, /Project\.content: rules cannot test a text column/],
    [{ name: 'x' }, /Project\.name: rules cannot test a varchar column/],
    [{ stage: { $lt: 'PLANNING' } }, /Project\.stage \(lt\): ordering is only supported on integer columns/],
    [{ 'enterprise.name': 'x' }, /Enterprise\.name: rules cannot test a varchar column/],
  ])('refuses the field type in %j', (conditions, message) => {
    expect(() => compile([{ action: 'read', subject: 'Project', conditions }])).toThrow(message);
  });

  it.each([
    [{ territoryId: '5' }, /"5" is not an integer/],
    [{ territoryId: 1.5 }, /1.5 is not an integer/],
    [{ territoryId: { $in: [1, '2'] } }, /"2" is not an integer/],
    [{ stage: 'planning' }, /"planning" is not one of PLANNING/],
    [{ stage: 3 }, /3 is not one of/],
    [{ territoryId: { $lt: null } }, /comparable/],
  ])('refuses the value in %j', (conditions, message) => {
    expect(() => compile([{ action: 'read', subject: 'Project', conditions }])).toThrow(message);
  });

  it('tests boolean columns with equality and membership on every driver', async () => {
    const users = await ds.manager.save(User, [true, false].map((disabled) => ds.manager.create(User, {
      username: unique('u'), displayName: 'Compiler test', passwordHash: 'x', disabled,
    })));
    const ids = users.map((u) => u.id);
    const selectUsers = async (conditions: Record<string, unknown>) => {
      const { sql, params } = compile([{ action: 'read', subject: 'User', conditions }], 'User');
      const rows = await ds.createQueryBuilder(User, 'row').select('row.id', 'id')
        .where('row.id IN (:...ids)', { ids }).andWhere(sql, params).orderBy('row.id').getRawMany();
      return rows.map((r: { id: number | string }) => Number(r.id));
    };
    expect(await selectUsers({ disabled: true })).toEqual([ids[0]]);
    expect(await selectUsers({ disabled: { $in: [false, null] } })).toEqual([ids[1]]);
    expect(await selectUsers({ disabled: { $nin: [true, false] } })).toEqual([]);
    expect(() => compile([{ action: 'read', subject: 'User', conditions: { disabled: { $lt: 1 } } }], 'User')).toThrow(/ordering is only supported on integer/);
  });

  it('resolves identifiers from the registry and metadata only', () => {
    expect(() => compile([{ action: 'read', subject: 'Project', conditions: { 'territory_id; DROP TABLE x': 1 } }])).toThrow(/unknown field/);
    expect(() => compile([{ action: 'read', subject: 'User', conditions: { passwordHash: 'x' } }], 'User')).toThrow(/User\.passwordHash: unknown field/);
    expect(() => compile([{ action: 'read', subject: 'Project', conditions: { 'owner.id': 1 } }])).toThrow(/"owner" is not a relation of Project/);
    expect(() => compile([{ action: 'read', subject: 'Project', conditions: { 'enterprise.territory.id': 1 } }])).toThrow(/only one relation step/);
    expect(() => compile([], 'RefreshToken')).toThrow(/Unknown subject "RefreshToken"/);

    const { sql } = compile([{ action: 'read', subject: 'Project', conditions: { territoryId: 1, 'enterprise.scale': 'ABOVE_SCALE' } }]);
    const column = ds.getMetadata(Project).findColumnWithPropertyName('territoryId')!.databaseName;
    expect(sql).toContain(`${ds.driver.escape('row')}.${ds.driver.escape(column)}`);
    expect(sql).toContain(`FROM ${ds.driver.escape(ds.getMetadata(Enterprise).tableName)}`);
  });

  it('never inlines a value: every value is a uniquely named parameter', () => {
    const rules: Rules = [
      { action: 'read', subject: 'Project', conditions: { territoryId: { $in: [987654, 876543] }, stage: { $ne: 'UNDER_CONSTRUCTION' } } },
      { action: 'read', subject: 'Project', inverted: true, conditions: { 'enterprise.tagFlags': { $gte: 765432 }, parkId: 654321 } },
    ];
    const first = compile(rules);
    const second = compile(rules);
    for (const value of ['987654', '876543', 'UNDER_CONSTRUCTION', '765432', '654321']) expect(first.sql).not.toContain(value);
    expect(Object.values(first.params)).toEqual(expect.arrayContaining([[987654, 876543], 'UNDER_CONSTRUCTION', 765432, 654321]));
    expect(first.sql).toContain('(:...');
    const firstNames = Object.keys(first.params);
    expect(Object.keys(second.params).some((name) => firstNames.includes(name))).toBe(false);
  });

  it('compiles to-many ne as NOT EXISTS and to-one through EXISTS', () => {
    const { sql } = compile([{ action: 'read', subject: 'Enterprise', conditions: { 'projects.stage': { $ne: 'PLANNING' } } }], 'Enterprise');
    expect(sql).toMatch(/^NOT \(EXISTS \(SELECT 1 FROM/);
    expect(sql).not.toMatch(/JOIN/i);
  });
});

describe('registry', () => {
  it('names an entity with every listed field for each subject', () => {
    for (const name of subjectNames) {
      const metadata = ds.getMetadata(subjectOf(name)!.entity);
      for (const field of fieldsOf(name)) expect([name, metadata.findColumnWithPropertyName(field)?.propertyName]).toEqual([name, field]);
      for (const field of Object.keys(subjectOf(name)!.enums)) expect(fieldsOf(name)).toContain(field);
    }
  });

  it('knows common, workflow and manage actions', () => {
    expect(isKnownAction('Project', 'countyCheck')).toBe(true);
    expect(isKnownAction('FundApplication', 'clawback')).toBe(true);
    expect(isKnownAction('MonthlyReport', 'manage')).toBe(true);
    expect(isKnownAction('Enterprise', 'countyCheck')).toBe(false);
    expect(isKnownAction('RefreshToken', 'read')).toBe(false);
    expect(fieldsOf('User')).not.toContain('passwordHash');
  });
});

describe('validateRules', () => {
  it('accepts the built-in roles', () => {
    for (const [role, rules] of Object.entries(BUILT_IN_RULES)) expect([role, validateRules(rules, ds)]).toEqual([role, []]);
  });

  it('reports unknown subjects, actions, fields, operators and relations with the rule index', () => {
    const problems = validateRules([
      { action: 'read', subject: 'Project' },
      { action: 'read', subject: 'Invoice' },
      { action: 'approve', subject: 'Project' },
      { action: 'read', subject: 'Project', fields: ['name', 'secret'] },
      { action: 'read', subject: 'Project', conditions: { stage: { $regex: 'P' } } },
      { action: 'read', subject: 'Project', conditions: { 'owner.id': 1 } },
      { action: 'read', subject: 'Project', conditions: { stage: { $foo: 1 } } },
      { action: 'read', subject: 'all' },
      'read all',
    ], ds);
    expect(problems.map((p) => p.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(problems[0].message).toMatch(/unknown subject "Invoice"/);
    expect(problems[1].message).toMatch(/unknown action "approve" for Project/);
    expect(problems[2].message).toMatch(/unknown field "secret" of Project/);
    expect(problems[3].message).toMatch(/operator "regex"/);
    expect(problems[4].message).toMatch(/not a relation/);
    expect(problems[5].message).toMatch(/Project\.stage: operator "\$foo" is not supported/);
    expect(problems[6].message).toMatch(/unknown subject "all"/);
    expect(problems[7].message).toMatch(/must be an object/);
  });

  it('takes placeholders as values of the right type, or substitutes them when asked', () => {
    const rules = [
      { action: 'read', subject: 'Project', conditions: { territoryId: { $in: '${scope.subtree}' }, 'enterprise.id': '${user.enterpriseId}' } },
      { action: 'read', subject: 'Project', conditions: { stage: '${scope.id}' } },
    ];
    expect(validateRules(rules.slice(0, 1), ds)).toEqual([]);
    const substitute = (value: unknown) => (value === '${scope.subtree}' ? [1, 2] : value === '${user.enterpriseId}' || value === '${scope.id}' ? 7 : value);
    const problems = validateRules(rules, ds, { substitute });
    expect(problems).toEqual([{ index: 1, message: expect.stringMatching(/Project\.stage \(eq\): 7 is not one of/) }]);
  });
});
