/**
 * Fund programmes and applications: scoped lists and lookups, programme create/update (经信局),
 * application drafts through the scoped write path, and the application workflow
 * (fund.transitions.ts). Payment tranches are read through their application's rules.
 */
import { EntityManager } from 'typeorm';
import type { Context } from '../../app/context';
import { fromFlags, toFlags } from '../../core/db/columns';
import { compareDecimals } from '../../core/db/decimal';
import { whereProjectRecord, whereRange, whereTextMatches } from '../../core/db/filters';
import { readRows } from '../../core/db/read-rows';
import { scopedQuery } from '../../core/db/scoped';
import { createScopedOrThrow, updateScopedOrThrow } from '../../core/db/scoped-write';
import { badInput, conflict, invalidTransition, notFound } from '../../core/errors';
import { childConnection, loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs, paginate, SortKey } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { groupByKey, loadById, loaderFor } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { OrderDirection } from '../../core/graphql/ordering';
import type { ColumnSelection } from '../../core/graphql/selection';
import { amountOrThrow, optionalTextOrThrow, textOrThrow } from '../../core/validation';
import { runTransition, transitionsFrom } from '../../core/workflow/workflow';
import { DepartmentType, OrgUnit, OrgUnitKind } from '../org/org-unit.entity';
import { loadOrgUnit } from '../org/org.service';
import { getProjectOrThrow } from '../project/project.service';
import { FundApplication, FundApplicationStatus } from './fund-application.entity';
import { FundDisbursement } from './fund-disbursement.entity';
import { FundBasis, FundProgram, SUPPORT_FORMS, SupportForm } from './fund-program.entity';
import {
  CreateFundApplicationInput, CreateFundProgramInput, DisburseFundApplicationInput, FundApplicationFilter, FundApplicationOrderField,
  FundApplicationsArgs, FundProgramFilter, FundProgramOrderField, FundProgramsArgs, UpdateFundApplicationInput, UpdateFundProgramInput,
} from './fund.inputs';
import {
  ApplicationTerms, EDITABLE_STATES, fundApplicationWorkflow, inLibraryOrThrow, termsContextOf, termsOrThrow,
  windowOpenOrThrow,
} from './fund.transitions';
import { managerOf } from '../../core/db/transaction';

export const fundApplicationQuery = (ctx: Context) => scopedQuery(ctx, FundApplication, 'fa');
export const fundProgramQuery = (ctx: Context) => scopedQuery(ctx, FundProgram, 'fp');

// ---------------------------------------------------------------------------------------------
// Programmes: reads

export function applyFundProgramFilter(qb: ReturnType<typeof fundProgramQuery>, f: FundProgramFilter | null | undefined): void {
  if (!f) return;
  if (f.years?.length) qb.andWhere('fp.year IN (:...fpYears)', { fpYears: f.years });
  if (f.sources?.length) qb.andWhere('fp.source IN (:...fpSources)', { fpSources: f.sources });
  if (f.windowOpen === true) qb.andWhere('fp.windowOpensAt <= :fpNow AND fp.windowClosesAt >= :fpNow', { fpNow: new Date() });
  if (f.windowOpen === false) qb.andWhere('(fp.windowOpensAt > :fpNow OR fp.windowClosesAt < :fpNow)', { fpNow: new Date() });
  if (f.search) whereTextMatches(qb, 'filter.search', f.search, { contains: ['fp.name'] });
}

const PROGRAM_SORTS: Record<FundProgramOrderField, Omit<SortKey<FundProgram>, 'direction'>> = {
  YEAR: { column: 'fp.year', valueOf: (p) => p.year },
  NAME: { column: 'fp.name', valueOf: (p) => p.name },
  ID: { column: 'fp.id', valueOf: (p) => p.id },
};

export function listFundPrograms(ctx: Context, args: FundProgramsArgs): Promise<ConnectionShape<FundProgram>> {
  const qb = fundProgramQuery(ctx);
  applyFundProgramFilter(qb, args.filter);
  const order = args.orderBy ?? { field: FundProgramOrderField.YEAR, direction: OrderDirection.DESC };
  return paginate(qb, args, { ...PROGRAM_SORTS[order.field], direction: order.direction }, 'fp.id');
}

export function loadFundProgram(ctx: Context, id: number): Promise<FundProgram | null> {
  return loadById(ctx.loaders, 'FundProgram', () => fundProgramQuery(ctx), id);
}
nodeLoaders.set('FundProgram', loadFundProgram);

export async function getFundProgramOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<FundProgram> {
  const program = await loadFundProgram(ctx, idOfTypeOrThrow(globalId, 'FundProgram', field));
  if (!program) throw notFound('FundProgram', globalId);
  return program;
}

// ---------------------------------------------------------------------------------------------
// Programmes: writes

/** A ratio is a fraction of the basis: more than 0, at most 1, 4 decimal places at most (the Decimal scalar's limit). */
function ratioOrThrow(value: string): string {
  if (compareDecimals(value, 0) <= 0 || compareDecimals(value, 1) > 0) throw badInput('maxRatio', 'maxRatio must be more than 0 and at most 1');
  return value;
}

function yearOrThrow(year: number): number {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('year', 'year must be between 2000 and 2100');
  return year;
}

function supportFormsOrThrow(forms: SupportForm[]): number {
  if (forms.length === 0) throw badInput('supportForms', 'supportForms must name at least one form');
  return toFlags(forms, SUPPORT_FORMS);
}

/** The owning department: given (a department the viewer can see), or the city's 经信局. */
async function ownerUnitIdOrThrow(ctx: Context, globalId: string | null | undefined): Promise<number> {
  if (globalId) {
    const unit = await loadOrgUnit(ctx, idOfTypeOrThrow(globalId, 'OrgUnit', 'ownerUnitId'));
    if (!unit || unit.kind !== OrgUnitKind.DEPARTMENT) throw badInput('ownerUnitId', 'ownerUnitId must be a department');
    return unit.id;
  }
  const jxj = await scopedQuery(ctx, OrgUnit, 'u')
    .andWhere('u.kind = :deptKind AND u.departmentType = :deptType', { deptKind: OrgUnitKind.DEPARTMENT, deptType: DepartmentType.JXJ })
    .orderBy('u.id')
    .getOne();
  if (!jxj) throw badInput('ownerUnitId', 'ownerUnitId is required: no 经信局 unit was found');
  return jxj.id;
}

function programValues(input: CreateFundProgramInput | UpdateFundProgramInput, current?: FundProgram): Partial<FundProgram> {
  const v: Partial<FundProgram> = {};
  if (input.year !== undefined && input.year !== null) v.year = yearOrThrow(input.year);
  if (input.name !== undefined && input.name !== null) v.name = textOrThrow('name', input.name, 200);
  if (input.source) v.source = input.source;
  if (input.supportForms) v.supportFormFlags = supportFormsOrThrow(input.supportForms);
  if (input.basis) v.basis = input.basis;
  if (input.maxRatio) v.maxRatio = ratioOrThrow(input.maxRatio);
  if (input.cap) v.cap = amountOrThrow('cap', input.cap, { allowZero: false });
  if (input.windowOpensAt) v.windowOpensAt = input.windowOpensAt;
  if (input.windowClosesAt) v.windowClosesAt = input.windowClosesAt;
  if (input.description !== undefined) v.description = optionalTextOrThrow('description', input.description, 5000) ?? null;
  const opens = v.windowOpensAt ?? current?.windowOpensAt;
  const closes = v.windowClosesAt ?? current?.windowClosesAt;
  for (const [field, date] of [['windowOpensAt', opens], ['windowClosesAt', closes]] as const) {
    if (date && Number.isNaN(date.getTime())) throw badInput(field, `${field} is not a valid date`);
  }
  if (opens && closes && closes <= opens) throw badInput('windowClosesAt', 'windowClosesAt must be after windowOpensAt');
  return v;
}

export async function createFundProgram(ctx: Context, input: CreateFundProgramInput): Promise<FundProgram> {
  const values = programValues(input);
  const ownerUnitId = await ownerUnitIdOrThrow(ctx, input.ownerUnitId);
  return createScopedOrThrow(ctx, FundProgram, { ...values, ownerUnitId });
}

export function updateFundProgram(ctx: Context, input: UpdateFundProgramInput): Promise<FundProgram> {
  // The values are checked against the row as loaded inside the transaction (the window may have moved).
  return updateScopedOrThrow(ctx, FundProgram, idOfTypeOrThrow(input.id, 'FundProgram'), input.expectedVersion, (row) => programValues(input, row));
}

// ---------------------------------------------------------------------------------------------
// Applications: reads

export function applyFundApplicationFilter(qb: ReturnType<typeof fundApplicationQuery>, f: FundApplicationFilter | null | undefined): void {
  if (!f) return;
  if (f.statuses?.length) qb.andWhere('fa.status IN (:...faStatuses)', { faStatuses: f.statuses });
  if (f.programId) qb.andWhere('fa.programId = :faProgramId', { faProgramId: idOfTypeOrThrow(f.programId, 'FundProgram', 'filter.programId') });
  whereProjectRecord(qb, 'fa', f);
  if (f.supportForms?.length) qb.andWhere('fa.supportForm IN (:...faForms)', { faForms: f.supportForms });
  whereRange(qb, 'fa.requestedAmount', f.requestedAmount);
}

const APPLICATION_SORTS: Record<FundApplicationOrderField, Omit<SortKey<FundApplication>, 'direction'>> = {
  ID: { column: 'fa.id', valueOf: (a) => a.id },
  REQUESTED_AMOUNT: { column: 'fa.requestedAmount', valueOf: (a) => a.requestedAmount },
};

export function listFundApplications(ctx: Context, args: FundApplicationsArgs, columns?: ColumnSelection): Promise<ConnectionShape<FundApplication>> {
  const qb = fundApplicationQuery(ctx);
  applyFundApplicationFilter(qb, args.filter);
  const order = args.orderBy ?? { field: FundApplicationOrderField.ID, direction: OrderDirection.ASC };
  return paginate(qb, args, { ...APPLICATION_SORTS[order.field], direction: order.direction }, 'fa.id', columns);
}

export function loadFundApplication(ctx: Context, id: number): Promise<FundApplication | null> {
  return loadById(ctx.loaders, 'FundApplication', () => fundApplicationQuery(ctx), id);
}
nodeLoaders.set('FundApplication', loadFundApplication);

export async function getFundApplicationOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<FundApplication> {
  const application = await loadFundApplication(ctx, idOfTypeOrThrow(globalId, 'FundApplication', field));
  if (!application) throw notFound('FundApplication', globalId);
  return application;
}

const PROJECT_APPLICATIONS = childConnection<FundApplication>({
  name: 'Project.fundApplications',
  entity: FundApplication,
  query: fundApplicationQuery,
  alias: 'fa',
  foreignKey: 'projectId',
  sort: { column: 'fa.id', direction: 'DESC', valueOf: (a) => a.id },
});

/** A project's fund applications, newest first. */
export function projectFundApplications(ctx: Context, projectId: number, args: PageArgs, columns?: ColumnSelection): ConnectionShape<FundApplication> | Promise<ConnectionShape<FundApplication>> {
  return loadChildConnection(ctx, PROJECT_APPLICATIONS, args, projectId, columns);
}

/** Payment tranches, oldest first, read with their application's rules (as annual plans are with their project's). */
export function loadDisbursements(ctx: Context, applicationId: number): Promise<FundDisbursement[]> {
  return loaderFor<number, FundDisbursement[]>(ctx.loaders, 'FundApplication.disbursements', async (ids) => {
    const visible = fundApplicationQuery(ctx).select('fa.id').andWhere('fa.id IN (:...ids)', { ids });
    const rows = await readRows(
      managerOf(ctx)
        .createQueryBuilder(FundDisbursement, 'fd')
        .where(`fd.applicationId IN (${visible.getQuery()})`, visible.getParameters())
        .orderBy('fd.id'),
    );
    return groupByKey(ids, rows, (d) => d.applicationId);
  }).load(applicationId);
}

// ---------------------------------------------------------------------------------------------
// Applications: writes

function isDuplicateKey(e: unknown): boolean {
  const code = (e as { driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}

const duplicateError = () =>
  conflict('The enterprise already has an application to this programme (one per enterprise per programme)', { field: 'programId' });

/** Unscoped on purpose, like credit codes: the rule is one per enterprise, whoever drafted the other one. */
async function oneApplicationPerProgramOrThrow(m: EntityManager, programId: number, enterpriseId: number): Promise<void> {
  if (await m.existsBy(FundApplication, { programId, enterpriseId })) throw duplicateError();
}

/** The basis: given, or the project's amount the programme's basis names. */
function basisOrThrow(program: FundProgram, project: { equipmentInvestment: string; totalInvestment: string }, given: string | null | undefined): string {
  if (given !== null && given !== undefined) return amountOrThrow('basisAmount', given, { allowZero: false });
  if (program.basis === FundBasis.EQUIPMENT) return project.equipmentInvestment;
  if (program.basis === FundBasis.APPROVED_INVESTMENT) return project.totalInvestment;
  throw badInput('basisAmount', 'basisAmount (the loan interest) is required for a LOAN_INTEREST programme');
}

export async function createFundApplication(ctx: Context, input: CreateFundApplicationInput): Promise<FundApplication> {
  const program = await getFundProgramOrThrow(ctx, input.programId, 'programId');
  const project = await getProjectOrThrow(ctx, input.projectId, 'projectId');
  const terms: ApplicationTerms = {
    supportForm: input.supportForm,
    requestedAmount: amountOrThrow('requestedAmount', input.requestedAmount, { allowZero: false }),
    basisAmount: basisOrThrow(program, project, input.basisAmount),
  };
  windowOpenOrThrow(program);
  inLibraryOrThrow(project);
  termsOrThrow(program, project, terms);
  await oneApplicationPerProgramOrThrow(managerOf(ctx), program.id, project.enterpriseId);
  try {
    return await createScopedOrThrow(ctx, FundApplication, {
      ...terms,
      programId: program.id,
      projectId: project.id,
      enterpriseId: project.enterpriseId,
      territoryId: project.territoryId,
      status: FundApplicationStatus.DRAFT,
    });
  } catch (e) {
    // Two drafts racing past the check above: the unique index decides.
    if (isDuplicateKey(e)) throw duplicateError();
    throw e;
  }
}

export async function updateFundApplication(ctx: Context, input: UpdateFundApplicationInput): Promise<FundApplication> {
  const id = idOfTypeOrThrow(input.id, 'FundApplication');
  const changes: Partial<FundApplication> = {};
  if (input.supportForm) changes.supportForm = input.supportForm;
  if (input.requestedAmount) changes.requestedAmount = amountOrThrow('requestedAmount', input.requestedAmount, { allowZero: false });
  if (input.basisAmount) changes.basisAmount = amountOrThrow('basisAmount', input.basisAmount, { allowZero: false });
  return updateScopedOrThrow(ctx, FundApplication, id, input.expectedVersion, changes, {
    validate: async (row, m) => {
      if (!EDITABLE_STATES.includes(row.status)) {
        throw invalidTransition(`Cannot change a FundApplication whose status is ${row.status}`, {
          currentState: row.status,
          allowedActions: transitionsFrom(fundApplicationWorkflow, row.status).map((t) => t.action),
        });
      }
      const { program, project } = await termsContextOf(m, row);
      termsOrThrow(program, project, { ...row, ...changes } as ApplicationTerms);
    },
  });
}

type TransitionArgs = { id: string; expectedVersion: number; comment?: string | null };

export function transitionFundApplication<I extends TransitionArgs>(ctx: Context, action: string, input: I): Promise<FundApplication> {
  return runTransition(ctx, fundApplicationWorkflow, action, idOfTypeOrThrow(input.id, 'FundApplication'), input.expectedVersion, input);
}

/** Records one tranche: DISBURSING, or DISBURSED when it pays the rest of the approved amount. */
export function disburseFundApplication(ctx: Context, input: DisburseFundApplicationInput): Promise<FundApplication> {
  return runTransition(ctx, fundApplicationWorkflow, 'disburse', idOfTypeOrThrow(input.id, 'FundApplication'), input.expectedVersion, input);
}

/** Support forms of a programme, for its field resolver. */
export const supportFormsOf = (p: FundProgram): SupportForm[] => fromFlags(p.supportFormFlags, SUPPORT_FORMS);
