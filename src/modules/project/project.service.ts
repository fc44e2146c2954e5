/**
 * Projects: scoped lists and lookups, create/update through the scoped write path, and the
 * library and stage workflows. Moving a project to another territory carries the scope keys of
 * everything that hangs off it in the same transaction, so their rules keep matching the project's.
 */
import { EntityManager } from 'typeorm';
import type { Context } from '../../app/context';
import { toFlags } from '../../core/db/columns';
import { compareDecimals } from '../../core/db/decimal';
import { whereFlagsAny, whereInSubtree, whereRange, whereTextMatches } from '../../core/db/filters';
import { readRows } from '../../core/db/read-rows';
import { scopedQuery } from '../../core/db/scoped';
import { createScopedOrThrow, updateScopedOrThrow } from '../../core/db/scoped-write';
import { badInput, conflict, notFound } from '../../core/errors';
import { ConnectionShape, paginate, SortKey } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { groupByKey, loadById, loaderFor } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { OrderDirection } from '../../core/graphql/ordering';
import type { ColumnSelection } from '../../core/graphql/selection';
import { amountOrThrow, optionalTextOrThrow, patternOrThrow, textOrThrow } from '../../core/validation';
import { runTransition } from '../../core/workflow/workflow';
import { Enterprise } from '../enterprise/enterprise.entity';
import { getEnterpriseOrThrow, joinEnterprise } from '../enterprise/enterprise.service';
import { FundApplication } from '../fund/fund-application.entity';
import { FundDisbursement } from '../fund/fund-disbursement.entity';
import { LandRequest } from '../land/land-request.entity';
import { parkIdOrThrow, territoryIdOrThrow } from '../org/org.service';
import { MonthlyReport } from '../report/monthly-report.entity';
import { WorkflowTransition } from '../workflow-history/workflow-transition.entity';
import { ProjectAnnualPlan } from './project-annual-plan.entity';
import { Project, TECHNIQUES } from './project.entity';
import {
  AnnualPlanInput, CreateProjectInput, ProjectFilter, ProjectOrderField, ProjectsArgs, ProjectStageInput, ProjectStatsInput,
  UpdateProjectInput,
} from './project.inputs';
import { assertStatsRegistrableOrThrow, libraryWorkflow, STATS_THRESHOLD, stageWorkflow } from './project.transitions';
import { managerOf } from '../../core/db/transaction';

const PROJECT_CODE = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/;
const INDUSTRY_CODE = /^[A-T](\d{2,4})?$/;

export const projectQuery = (ctx: Context) => scopedQuery(ctx, Project, 'p');

export function applyProjectFilter(ctx: Context, qb: ReturnType<typeof projectQuery>, f: ProjectFilter | null | undefined): void {
  if (!f) return;
  if (f.territoryId) whereInSubtree(qb, 'p.territoryId', idOfTypeOrThrow(f.territoryId, 'OrgUnit', 'filter.territoryId'));
  if (f.parkId) qb.andWhere('p.parkId = :parkId', { parkId: idOfTypeOrThrow(f.parkId, 'OrgUnit', 'filter.parkId') });
  if (f.enterpriseId) qb.andWhere('p.enterpriseId = :fEnterpriseId', { fEnterpriseId: idOfTypeOrThrow(f.enterpriseId, 'Enterprise', 'filter.enterpriseId') });
  if (f.industryCodePrefix) {
    const prefix = patternOrThrow('filter.industryCodePrefix', f.industryCodePrefix.toUpperCase(), /^[A-T]\d{0,4}$/, 'an industry code prefix like C26');
    qb.andWhere('p.industryCode LIKE :pIndustryPrefix', { pIndustryPrefix: `${prefix}%` });
  }
  if (f.stages?.length) qb.andWhere('p.stage IN (:...fStages)', { fStages: f.stages });
  if (f.libraryStatuses?.length) qb.andWhere('p.libraryStatus IN (:...fLibraryStatuses)', { fLibraryStatuses: f.libraryStatuses });
  if (f.keyLevels?.length) qb.andWhere('p.keyLevel IN (:...fKeyLevels)', { fKeyLevels: f.keyLevels });
  if (f.reserveBatch) qb.andWhere('p.reserveBatch = :fReserveBatch', { fReserveBatch: f.reserveBatch });
  if (f.constructionNatures?.length) qb.andWhere('p.constructionNature IN (:...fNatures)', { fNatures: f.constructionNatures });
  if (f.techniques?.length) whereFlagsAny(qb, 'p.techniqueFlags', toFlags(f.techniques, TECHNIQUES));
  whereRange(qb, 'p.totalInvestment', f.totalInvestment);
  whereRange(qb, 'p.equipmentInvestment', f.equipmentInvestment);
  whereRange(qb, 'p.plannedStart', f.plannedStart);
  whereRange(qb, 'p.plannedCompletion', f.plannedCompletion);
  whereRange(qb, 'p.actualStart', f.actualStart);
  if (f.statsRegistered === true) qb.andWhere('p.statsRegisteredAt IS NOT NULL');
  if (f.statsRegistered === false) qb.andWhere('p.statsRegisteredAt IS NULL');
  if (f.search) {
    // The enterprise's credit code is matched only among enterprises the viewer may read.
    const enterprises = scopedQuery(ctx, Enterprise, 'se').select('se.id');
    whereTextMatches(enterprises, 'filter.search', f.search, { prefix: ['se.creditCode'] });
    const projects = scopedQuery(ctx, Project, 'sp').select('sp.id');
    whereTextMatches(projects, 'filter.search', f.search, { contains: ['sp.name'], prefix: ['sp.projectCode'] });
    qb.andWhere(`(p.enterpriseId IN (${enterprises.getQuery()}) OR p.id IN (${projects.getQuery()}))`).setParameters({
      ...enterprises.getParameters(),
      ...projects.getParameters(),
    });
  }
}

const SORTS: Record<ProjectOrderField, Omit<SortKey<Project>, 'direction'>> = {
  ID: { column: 'p.id', valueOf: (p) => p.id },
  NAME: { column: 'p.name', valueOf: (p) => p.name },
  TOTAL_INVESTMENT: { column: 'p.totalInvestment', valueOf: (p) => p.totalInvestment },
  PLANNED_START: { column: 'p.plannedStart', valueOf: (p) => p.plannedStart },
};

export function projectSort(orderBy: ProjectsArgs['orderBy']): SortKey<Project> {
  const order = orderBy ?? { field: ProjectOrderField.ID, direction: OrderDirection.ASC };
  return { ...SORTS[order.field], direction: order.direction };
}

/** A page of projects (their `columns`; with their enterprise joined in when `enterprise` is asked for). */
export function listProjects(
  ctx: Context,
  args: ProjectsArgs,
  columns?: ColumnSelection,
  enterprise?: { columns: ColumnSelection } | null,
): Promise<ConnectionShape<Project>> {
  const qb = projectQuery(ctx);
  applyProjectFilter(ctx, qb, args.filter);
  const joins = enterprise ? [joinEnterprise(ctx, 'pe', 'enterpriseId', enterprise.columns)] : [];
  return paginate(qb, args, projectSort(args.orderBy), 'p.id', columns, joins);
}

/** The project with `id` if the viewer may see it (only `columns` of it, when given). */
export function loadProject(ctx: Context, id: number, columns?: ColumnSelection): Promise<Project | null> {
  return loadById(ctx.loaders, 'Project', () => projectQuery(ctx), id, columns);
}
nodeLoaders.set('Project', loadProject);

export async function getProjectOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<Project> {
  const project = await loadProject(ctx, idOfTypeOrThrow(globalId, 'Project', field));
  if (!project) throw notFound('Project', globalId);
  return project;
}

/** Annual plans are read with their project's rules (they carry its scope keys). */
export function loadAnnualPlans(ctx: Context, projectId: number): Promise<ProjectAnnualPlan[]> {
  return loaderFor<number, ProjectAnnualPlan[]>(ctx.loaders, 'Project.annualPlans', async (ids) => {
    const visible = projectQuery(ctx).select('p.id').andWhere('p.id IN (:...ids)', { ids });
    const plans = await readRows(
      managerOf(ctx)
        .createQueryBuilder(ProjectAnnualPlan, 'ap')
        .where(`ap.projectId IN (${visible.getQuery()})`, visible.getParameters())
        .orderBy('ap.year'),
    );
    return groupByKey(ids, plans, (ap) => ap.projectId);
  }).load(projectId);
}

// ---------------------------------------------------------------------------------------------
// Writes

function annualPlansOrThrow(plans: AnnualPlanInput[]): AnnualPlanInput[] {
  const years = new Set<number>();
  for (const [i, plan] of plans.entries()) {
    if (!Number.isInteger(plan.year) || plan.year < 2000 || plan.year > 2100) throw badInput(`annualPlans.${i}.year`, 'year must be between 2000 and 2100');
    if (years.has(plan.year)) throw badInput(`annualPlans.${i}.year`, `year ${plan.year} appears twice`);
    years.add(plan.year);
    amountOrThrow(`annualPlans.${i}.plannedInvestment`, plan.plannedInvestment);
  }
  return plans;
}

async function projectValues(ctx: Context, input: CreateProjectInput | UpdateProjectInput, current?: Project): Promise<Partial<Project>> {
  const v: Partial<Project> = {};
  if (input.name !== undefined && input.name !== null) v.name = textOrThrow('name', input.name, 200);
  if (input.projectCode !== undefined) {
    v.projectCode = input.projectCode === null || input.projectCode.trim() === '' ? null
      : patternOrThrow('projectCode', input.projectCode, PROJECT_CODE, 'a 24-character project code like 2026-510703-26-03-012345');
  }
  if (input.territoryId) v.territoryId = await territoryIdOrThrow(ctx, input.territoryId, 'territoryId');
  if (input.parkId !== undefined) v.parkId = input.parkId ? await parkIdOrThrow(ctx, input.parkId, 'parkId') : null;
  if (input.site !== undefined) v.site = optionalTextOrThrow('site', input.site, 300);
  if (input.industryCode) v.industryCode = patternOrThrow('industryCode', input.industryCode.toUpperCase(), INDUSTRY_CODE, 'a GB/T 4754 code like C2614');
  if (input.constructionNature) v.constructionNature = input.constructionNature;
  if (input.techniques) v.techniqueFlags = toFlags(input.techniques, TECHNIQUES);
  if (input.content !== undefined) v.content = optionalTextOrThrow('content', input.content, 5000);
  if (input.totalInvestment) v.totalInvestment = amountOrThrow('totalInvestment', input.totalInvestment, { allowZero: false });
  if (input.equipmentInvestment) v.equipmentInvestment = amountOrThrow('equipmentInvestment', input.equipmentInvestment);
  if (input.plannedStart) v.plannedStart = input.plannedStart;
  if (input.plannedCompletion) v.plannedCompletion = input.plannedCompletion;
  if (input.reserveBatch !== undefined) v.reserveBatch = optionalTextOrThrow('reserveBatch', input.reserveBatch, 32);
  if ('keyLevel' in input && input.keyLevel) v.keyLevel = input.keyLevel;

  const total = v.totalInvestment ?? current?.totalInvestment;
  const equipment = v.equipmentInvestment ?? current?.equipmentInvestment;
  if (total && equipment && compareDecimals(equipment, total) > 0) throw badInput('equipmentInvestment', 'equipmentInvestment must not exceed totalInvestment');
  const start = v.plannedStart ?? current?.plannedStart;
  const end = v.plannedCompletion ?? current?.plannedCompletion;
  if (start && end && end < start) throw badInput('plannedCompletion', 'plannedCompletion must not be before plannedStart');
  return v;
}

async function projectCodeFreeOrThrow(m: EntityManager, code: string | null | undefined, exceptId?: number): Promise<void> {
  if (!code) return;
  // Project codes are unique nationally, so the check looks past the viewer's scope on purpose.
  const holder = await m.findOne(Project, { where: { projectCode: code }, select: { id: true } });
  if (holder && holder.id !== exceptId) throw conflict('A project with this project code is already registered', { field: 'projectCode' });
}

export async function createProject(ctx: Context, input: CreateProjectInput): Promise<Project> {
  const enterprise = await getEnterpriseOrThrow(ctx, input.enterpriseId, 'enterpriseId');
  const values = await projectValues(ctx, input);
  const plans = annualPlansOrThrow(input.annualPlans ?? []);
  await projectCodeFreeOrThrow(managerOf(ctx), values.projectCode);
  return createScopedOrThrow(
    ctx,
    Project,
    {
      ...values,
      enterpriseId: enterprise.id,
      territoryId: values.territoryId ?? enterprise.territoryId,
      industryCode: values.industryCode ?? enterprise.industryCode,
      techniqueFlags: values.techniqueFlags ?? 0,
    },
    {
      afterInsert: async (project, m) => {
        for (const plan of plans) {
          await m.insert(ProjectAnnualPlan, {
            projectId: project.id,
            year: plan.year,
            plannedInvestment: plan.plannedInvestment,
            territoryId: project.territoryId,
            enterpriseId: project.enterpriseId,
          });
        }
      },
    },
  );
}

/** Records that carry a project's territory as their own scope key, and whose history does too. */
const CHILDREN_BY_PROJECT = [MonthlyReport, FundApplication, LandRequest, ProjectAnnualPlan] as const;
const WORKFLOW_CHILDREN = [MonthlyReport, FundApplication, LandRequest] as const;

async function carryTerritory(m: EntityManager, project: Project): Promise<void> {
  const territoryId = project.territoryId;
  const childIds = (child: { name: string } & (typeof CHILDREN_BY_PROJECT)[number]) =>
    m.createQueryBuilder(child, 'c').select('c.id').where('c.projectId = :projectId', { projectId: project.id });
  for (const child of WORKFLOW_CHILDREN) {
    const ids = childIds(child);
    await m
      .createQueryBuilder()
      .update(WorkflowTransition)
      .set({ territoryId })
      .where(`subjectType = :subjectType AND recordId IN (${ids.getQuery()})`, { subjectType: child.name, ...ids.getParameters() })
      .execute();
  }
  const applications = childIds(FundApplication);
  await m
    .createQueryBuilder()
    .update(FundDisbursement)
    .set({ territoryId })
    .where(`applicationId IN (${applications.getQuery()})`, applications.getParameters())
    .execute();
  for (const child of CHILDREN_BY_PROJECT) {
    await m.createQueryBuilder().update(child).set({ territoryId }).where('projectId = :projectId', { projectId: project.id }).execute();
  }
  await m
    .createQueryBuilder()
    .update(WorkflowTransition)
    .set({ territoryId })
    .where("subjectType = 'Project' AND recordId = :projectId", { projectId: project.id })
    .execute();
}

export function updateProject(ctx: Context, input: UpdateProjectInput): Promise<Project> {
  const id = idOfTypeOrThrow(input.id, 'Project');
  // Cross-field checks (equipment ≤ total, completion ≥ start) use the row as loaded in the transaction.
  const changes = async (current: Project, m: EntityManager) => {
    const values = await projectValues(ctx, input, current);
    await projectCodeFreeOrThrow(m, values.projectCode, id);
    return values;
  };
  return updateScopedOrThrow(ctx, Project, id, input.expectedVersion, changes, {
    afterWrite: async (before, after, m) => {
      if (before.territoryId !== after.territoryId) await carryTerritory(m, after);
    },
  });
}

export function transitionProjectLibrary(ctx: Context, action: string, input: { id: string; expectedVersion: number; comment?: string | null }) {
  return runTransition(ctx, libraryWorkflow, action, idOfTypeOrThrow(input.id, 'Project'), input.expectedVersion, input);
}

export function transitionProjectStage(ctx: Context, action: string, input: ProjectStageInput) {
  return runTransition(ctx, stageWorkflow, action, idOfTypeOrThrow(input.id, 'Project'), input.expectedVersion, input);
}

export async function setProjectStatsRegistration(ctx: Context, input: ProjectStatsInput, registered: boolean): Promise<Project> {
  const id = idOfTypeOrThrow(input.id, 'Project');
  return updateScopedOrThrow(ctx, Project, id, input.expectedVersion, { statsRegisteredAt: registered ? new Date() : null }, {
    action: 'registerStats',
    validate: (p) => {
      if (registered) assertStatsRegistrableOrThrow(p, compareDecimals(p.totalInvestment, STATS_THRESHOLD) >= 0);
    },
  });
}
