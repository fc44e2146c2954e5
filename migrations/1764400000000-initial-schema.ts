import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * The first schema: org tree, users and authorization, the 技改 records, their history and audit.
 * Written with the QueryRunner API only, so the same file runs on MySQL/MariaDB and SQLite.
 * Self-contained on purpose: a migration must not change when shared code does.
 */
export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    const isMysql = q.connection.driver.options.type === 'mysql';
    const longText = isMysql ? 'longtext' : 'text';

    // SQLite only auto-increments an INTEGER PRIMARY KEY.
    const id = (): TableColumnOptions => ({ name: 'id', type: isMysql ? 'int' : 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
    const int = (name: string, isNullable = false, dflt?: number): TableColumnOptions => ({ name, type: 'int', isNullable, default: dflt });
    const str = (name: string, length: number, isNullable = false, dflt?: string): TableColumnOptions => ({
      name, type: 'varchar', length: String(length), isNullable, default: dflt === undefined ? undefined : `'${dflt}'`,
    });
    const dec = (name: string, precision: number, scale: number, isNullable = false, dflt?: number): TableColumnOptions => ({
      name, type: 'decimal', precision, scale, isNullable, default: dflt,
    });
    const money = (name: string, isNullable = false, dflt?: number) => dec(name, 16, 4, isNullable, dflt);
    const text = (name: string, isNullable = true): TableColumnOptions => ({ name, type: isMysql ? 'text' : 'text', isNullable });
    const json = (name: string, isNullable = true): TableColumnOptions => ({ name, type: longText, isNullable });
    const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: false, default: false });
    const datetime = (name: string, isNullable = true): TableColumnOptions => ({ name, type: 'datetime', isNullable });
    const created = (name = 'createdAt'): TableColumnOptions => ({ name, type: 'datetime', isNullable: false, default: 'CURRENT_TIMESTAMP' });
    const versioned = (): TableColumnOptions[] => [int('version', false, 1), created('createdAt'), created('updatedAt')];
    const fk = (column: string, table: string): TableForeignKey =>
      new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });
    const index = (table: string, columns: string[], isUnique = false): TableIndex =>
      new TableIndex({ name: `${isUnique ? 'UQ' : 'IDX'}_${table}_${columns.join('_')}`, columnNames: columns, isUnique });

    const create = async (name: string, columns: TableColumnOptions[], foreignKeys: TableForeignKey[], indices: TableIndex[]) => {
      await q.createTable(new Table({ name, columns, foreignKeys, indices, engine: isMysql ? 'InnoDB' : undefined }));
    };

    await create('org_units', [
      id(), str('code', 32), str('name', 100), str('nameEn', 200), str('kind', 32), int('parentId', true), str('path', 255),
      str('regionCode', 6, true), str('departmentType', 32, true), str('parkLevel', 32, true),
      str('validFrom', 10, true), str('validTo', 10, true), ...versioned(),
    ], [fk('parentId', 'org_units')], [
      index('org_units', ['code'], true), index('org_units', ['parentId']), index('org_units', ['path']),
    ]);

    await create('enterprises', [
      id(), str('creditCode', 18), str('name', 200), str('industryCode', 8), int('territoryId'), str('scale', 32),
      int('tagFlags', false, 0), str('address', 300, true), str('contactName', 50, true), str('contactPhone', 32, true), ...versioned(),
    ], [fk('territoryId', 'org_units')], [
      index('enterprises', ['creditCode'], true), index('enterprises', ['name']), index('enterprises', ['industryCode']),
      index('enterprises', ['territoryId']),
    ]);

    await create('users', [
      id(), str('username', 64), str('displayName', 100), str('passwordHash', 255), int('enterpriseId', true),
      str('phone', 32, true), bool('disabled'), bool('mustChangePassword'), ...versioned(),
    ], [fk('enterpriseId', 'enterprises')], [index('users', ['username'], true), index('users', ['enterpriseId'])]);

    await create('roles', [
      id(), str('key', 64), str('name', 100), text('description'), bool('builtIn'), json('rules', false), ...versioned(),
    ], [], [index('roles', ['key'], true)]);

    await create('role_bindings', [
      id(), int('userId'), int('roleId'), int('scopeUnitId'), created(),
    ], [fk('userId', 'users'), fk('roleId', 'roles'), fk('scopeUnitId', 'org_units')], [
      index('role_bindings', ['userId', 'roleId', 'scopeUnitId'], true), index('role_bindings', ['roleId']),
      index('role_bindings', ['scopeUnitId']),
    ]);

    await create('refresh_tokens', [
      id(), int('userId'), str('tokenHash', 64), str('familyId', 36), datetime('expiresAt', false), datetime('usedAt'),
      datetime('revokedAt'), created(),
    ], [fk('userId', 'users')], [
      index('refresh_tokens', ['userId']), index('refresh_tokens', ['tokenHash'], true), index('refresh_tokens', ['familyId']),
    ]);

    await create('authorization_version', [{ name: 'id', type: 'int', isPrimary: true }, int('version')], [], []);
    await q.manager.createQueryBuilder().insert().into('authorization_version').values({ id: 1, version: 1 }).execute();

    await create('projects', [
      id(), str('name', 200), str('projectCode', 24, true), int('enterpriseId'), int('territoryId'), int('parkId', true),
      str('site', 300, true), str('industryCode', 8), str('constructionNature', 32), int('techniqueFlags', false, 0),
      text('content'), money('totalInvestment'), money('equipmentInvestment'), str('plannedStart', 7), str('plannedCompletion', 7),
      str('actualStart', 7, true), str('actualCompletion', 7, true), str('keyLevel', 32, false, 'NONE'), str('reserveBatch', 32, true),
      str('libraryStatus', 32, false, 'DRAFT'), str('stage', 32, false, 'PLANNING'), datetime('statsRegisteredAt'), ...versioned(),
    ], [fk('enterpriseId', 'enterprises'), fk('territoryId', 'org_units'), fk('parkId', 'org_units')], [
      index('projects', ['name']), index('projects', ['projectCode'], true), index('projects', ['enterpriseId']),
      index('projects', ['territoryId']), index('projects', ['territoryId', 'id']), index('projects', ['parkId']),
      index('projects', ['libraryStatus']), index('projects', ['stage']),
    ]);

    await create('project_annual_plans', [
      id(), int('projectId'), int('year'), money('plannedInvestment'), int('territoryId'), int('enterpriseId'), ...versioned(),
    ], [fk('projectId', 'projects'), fk('territoryId', 'org_units'), fk('enterpriseId', 'enterprises')], [
      index('project_annual_plans', ['projectId', 'year'], true), index('project_annual_plans', ['territoryId']),
      index('project_annual_plans', ['enterpriseId']),
    ]);

    await create('monthly_reports', [
      id(), int('projectId'), int('enterpriseId'), int('territoryId'), str('period', 7), money('monthInvestment'),
      money('cumulativeInvestment'), dec('progressPercent', 5, 2, false, 0), text('progressText'), text('issues'),
      str('status', 32, false, 'OPEN'), datetime('submittedAt'), int('submittedById', true), int('confirmedById', true), ...versioned(),
    ], [fk('projectId', 'projects'), fk('enterpriseId', 'enterprises'), fk('territoryId', 'org_units'),
      fk('submittedById', 'users'), fk('confirmedById', 'users')], [
      index('monthly_reports', ['projectId', 'period'], true), index('monthly_reports', ['territoryId', 'period']),
      index('monthly_reports', ['enterpriseId']), index('monthly_reports', ['territoryId']), index('monthly_reports', ['period']),
      index('monthly_reports', ['status']), index('monthly_reports', ['submittedById']), index('monthly_reports', ['confirmedById']),
    ]);

    await create('report_periods', [
      id(), str('period', 7), datetime('lockedAt'), int('lockedById', true), ...versioned(),
    ], [fk('lockedById', 'users')], [index('report_periods', ['period'], true), index('report_periods', ['lockedById'])]);

    await create('fund_programs', [
      id(), int('year'), str('name', 200), str('source', 32), int('supportFormFlags', false, 0), str('basis', 32),
      dec('maxRatio', 5, 4), money('cap'), datetime('windowOpensAt', false), datetime('windowClosesAt', false),
      int('ownerUnitId'), text('description'), ...versioned(),
    ], [fk('ownerUnitId', 'org_units')], [index('fund_programs', ['year', 'id']), index('fund_programs', ['ownerUnitId'])]);

    await create('fund_applications', [
      id(), int('programId'), int('projectId'), int('enterpriseId'), int('territoryId'), str('supportForm', 32),
      money('requestedAmount'), money('basisAmount'), text('countyOpinion'), text('cityOpinion'), dec('expertScore', 5, 2, true),
      text('expertOpinion'), money('proposedAmount', true), money('approvedAmount', true), money('disbursedAmount', false, 0),
      datetime('noticeStartsAt'), datetime('noticeEndsAt'), text('acceptanceResult'), str('status', 32, false, 'DRAFT'),
      datetime('submittedAt'), ...versioned(),
    ], [fk('programId', 'fund_programs'), fk('projectId', 'projects'), fk('enterpriseId', 'enterprises'), fk('territoryId', 'org_units')], [
      index('fund_applications', ['programId', 'enterpriseId'], true), index('fund_applications', ['territoryId', 'id']),
      index('fund_applications', ['projectId']), index('fund_applications', ['enterpriseId']),
      index('fund_applications', ['territoryId']), index('fund_applications', ['status']),
    ]);

    await create('fund_disbursements', [
      id(), int('applicationId'), int('territoryId'), int('enterpriseId'), money('amount'), str('paidOn', 10), int('recordedById'), created(),
    ], [fk('applicationId', 'fund_applications'), fk('territoryId', 'org_units'), fk('enterpriseId', 'enterprises'), fk('recordedById', 'users')], [
      index('fund_disbursements', ['applicationId']), index('fund_disbursements', ['territoryId']),
      index('fund_disbursements', ['enterpriseId']), index('fund_disbursements', ['recordedById']),
    ]);

    await create('land_requests', [
      id(), int('projectId'), int('enterpriseId'), int('territoryId'), dec('areaMu', 12, 2), str('landUse', 64), str('location', 300),
      str('plotNo', 64, true), str('planConformity', 32), str('farmlandType', 32), str('supplyMethod', 32),
      money('investmentIntensity', true), money('taxPerMu', true), dec('plotRatio', 6, 2, true), str('expectedDate', 7, true),
      money('dealPrice', true), str('contractNo', 64, true), str('deliveredOn', 10, true), str('status', 32, false, 'DRAFT'), ...versioned(),
    ], [fk('projectId', 'projects'), fk('enterpriseId', 'enterprises'), fk('territoryId', 'org_units')], [
      index('land_requests', ['territoryId', 'id']), index('land_requests', ['projectId']), index('land_requests', ['enterpriseId']),
      index('land_requests', ['territoryId']), index('land_requests', ['status']),
    ]);

    await create('workflow_transitions', [
      id(), str('subjectType', 32), int('recordId'), str('axis', 32), str('fromState', 32), str('toState', 32), str('action', 64),
      int('actorId'), text('comment'), int('territoryId'), int('enterpriseId', true), created(),
    ], [fk('actorId', 'users'), fk('territoryId', 'org_units'), fk('enterpriseId', 'enterprises')], [
      index('workflow_transitions', ['subjectType', 'recordId', 'id']), index('workflow_transitions', ['actorId']),
      index('workflow_transitions', ['territoryId']), index('workflow_transitions', ['enterpriseId']),
    ]);

    // No foreign keys on the audit log: it must outlive whatever it describes.
    await create('audit_events', [
      id(), created('occurredAt'), int('actorId', true), json('actorBindings'), str('requestId', 64, true), str('action', 64),
      str('subjectType', 32), int('recordId', true), json('changes'), int('territoryId', true), int('enterpriseId', true),
    ], [], [
      index('audit_events', ['occurredAt']), index('audit_events', ['actorId']), index('audit_events', ['subjectType', 'recordId']),
      index('audit_events', ['territoryId']),
    ]);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_events', 'workflow_transitions', 'land_requests', 'fund_disbursements', 'fund_applications', 'fund_programs',
      'report_periods', 'monthly_reports', 'project_annual_plans', 'projects', 'authorization_version', 'refresh_tokens',
      'role_bindings', 'roles', 'users', 'enterprises', 'org_units',
    ]) {
      await q.dropTable(table);
    }
  }
}
