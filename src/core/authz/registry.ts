/**
 * The authorization subjects: the one place that says which records rules may name, which actions
 * apply to each, which fields are readable (secrets such as `User.passwordHash` and whole tables
 * such as refresh tokens are simply absent), which string columns are enums (so a rule may compare
 * them exactly), and which relations a rule condition may follow ("enterprise.territoryId",
 * "projects.stage"). The rule validator, the rule → SQL compiler and field filtering all read it.
 */
import { ObjectLiteral, ObjectType } from 'typeorm';
import { AuditEvent } from '../../modules/audit/audit-event.entity';
import { Enterprise, EnterpriseScale } from '../../modules/enterprise/enterprise.entity';
import { FundApplication, FundApplicationStatus } from '../../modules/fund/fund-application.entity';
import { FundBasis, FundProgram, FundSource, SUPPORT_FORMS } from '../../modules/fund/fund-program.entity';
import {
  FarmlandType, LandRequest, LandRequestStatus, PlanConformity, SupplyMethod,
} from '../../modules/land/land-request.entity';
import { DepartmentType, OrgUnit, OrgUnitKind, ParkLevel } from '../../modules/org/org-unit.entity';
import {
  ConstructionNature, ConstructionStage, KeyLevel, LibraryStatus, Project,
} from '../../modules/project/project.entity';
import { MonthlyReport, ReportStatus } from '../../modules/report/monthly-report.entity';
import { Role } from '../../modules/user/role.entity';
import { RoleBinding } from '../../modules/user/role-binding.entity';
import { User } from '../../modules/user/user.entity';
import { WorkflowTransition } from '../../modules/workflow-history/workflow-transition.entity';

export const subjectNames = [
  'OrgUnit', 'User', 'Role', 'RoleBinding', 'Enterprise', 'Project', 'MonthlyReport',
  'FundProgram', 'FundApplication', 'LandRequest', 'AuditEvent', 'WorkflowTransition',
] as const;

export type SubjectName = (typeof subjectNames)[number];

/** `source.foreignKey` holds the id of one `target` row (or null / a missing row). */
export interface ToOneRelation {
  kind: 'toOne';
  target: SubjectName;
  foreignKey: string;
}

/** Every `target` row whose `foreignKey` holds the source's id. */
export interface ToManyRelation {
  kind: 'toMany';
  target: SubjectName;
  foreignKey: string;
}

export type Relation = ToOneRelation | ToManyRelation;

export interface SubjectDefinition {
  entity: ObjectType<ObjectLiteral>;
  actions: readonly string[];
  /** Readable column property names. */
  fields: readonly string[];
  /** String columns holding enum values, with every value they may hold. */
  enums: Readonly<Record<string, readonly string[]>>;
  relations: Readonly<Record<string, Relation>>;
}

/** CASL's "any action". */
export const MANAGE = 'manage';
const COMMON_ACTIONS = ['read', 'create', 'update', 'delete'] as const;
const RECORD_FIELDS = ['id', 'version', 'createdAt', 'updatedAt'] as const;

const toOne = (target: SubjectName, foreignKey: string): ToOneRelation => ({ kind: 'toOne', target, foreignKey });
const toMany = (target: SubjectName, foreignKey: string): ToManyRelation => ({ kind: 'toMany', target, foreignKey });
const values = (e: Record<string, string>): string[] => Object.values(e);

const WORKFLOW_SUBJECTS: SubjectName[] = ['Project', 'MonthlyReport', 'FundApplication', 'LandRequest'];
const WORKFLOW_STATES = [
  ...new Set([LibraryStatus, ConstructionStage, ReportStatus, FundApplicationStatus, LandRequestStatus].flatMap(values)),
];

function define(
  entity: ObjectType<ObjectLiteral>,
  fields: readonly string[],
  options: { actions?: readonly string[]; enums?: SubjectDefinition['enums']; relations?: SubjectDefinition['relations'] } = {},
): SubjectDefinition {
  return {
    entity,
    actions: [...COMMON_ACTIONS, ...(options.actions ?? []), MANAGE],
    fields,
    enums: options.enums ?? {},
    relations: options.relations ?? {},
  };
}

const SUBJECTS: Readonly<Record<SubjectName, SubjectDefinition>> = {
  OrgUnit: define(
    OrgUnit,
    [...RECORD_FIELDS, 'code', 'name', 'nameEn', 'kind', 'parentId', 'path', 'regionCode', 'departmentType', 'parkLevel', 'validFrom', 'validTo'],
    { enums: { kind: values(OrgUnitKind), departmentType: values(DepartmentType), parkLevel: values(ParkLevel) } },
  ),
  User: define(
    User,
    [...RECORD_FIELDS, 'username', 'displayName', 'enterpriseId', 'phone', 'disabled', 'mustChangePassword'],
    { relations: { enterprise: toOne('Enterprise', 'enterpriseId') } },
  ),
  Role: define(Role, [...RECORD_FIELDS, 'key', 'name', 'description', 'builtIn', 'rules']),
  RoleBinding: define(RoleBinding, ['id', 'userId', 'roleId', 'scopeUnitId', 'createdAt'], {
    relations: { user: toOne('User', 'userId'), role: toOne('Role', 'roleId'), scopeUnit: toOne('OrgUnit', 'scopeUnitId') },
  }),
  Enterprise: define(
    Enterprise,
    [...RECORD_FIELDS, 'creditCode', 'name', 'industryCode', 'territoryId', 'scale', 'tagFlags', 'address', 'contactName', 'contactPhone'],
    {
      enums: { scale: values(EnterpriseScale) },
      relations: { territory: toOne('OrgUnit', 'territoryId'), projects: toMany('Project', 'enterpriseId') },
    },
  ),
  Project: define(
    Project,
    [
      ...RECORD_FIELDS, 'name', 'projectCode', 'enterpriseId', 'territoryId', 'parkId', 'site', 'industryCode', 'constructionNature',
      'techniqueFlags', 'content', 'totalInvestment', 'equipmentInvestment', 'plannedStart', 'plannedCompletion', 'actualStart',
      'actualCompletion', 'keyLevel', 'reserveBatch', 'libraryStatus', 'stage', 'statsRegisteredAt',
    ],
    {
      actions: ['submit', 'countyCheck', 'accept', 'return', 'reject', 'withdraw', 'changeStage', 'registerStats'],
      enums: {
        constructionNature: values(ConstructionNature), keyLevel: values(KeyLevel),
        libraryStatus: values(LibraryStatus), stage: values(ConstructionStage),
      },
      relations: {
        enterprise: toOne('Enterprise', 'enterpriseId'),
        territory: toOne('OrgUnit', 'territoryId'),
        park: toOne('OrgUnit', 'parkId'),
        monthlyReports: toMany('MonthlyReport', 'projectId'),
        fundApplications: toMany('FundApplication', 'projectId'),
        landRequests: toMany('LandRequest', 'projectId'),
      },
    },
  ),
  MonthlyReport: define(
    MonthlyReport,
    [
      ...RECORD_FIELDS, 'projectId', 'enterpriseId', 'territoryId', 'period', 'monthInvestment', 'cumulativeInvestment',
      'progressPercent', 'progressText', 'issues', 'status', 'submittedAt', 'submittedById', 'confirmedById',
    ],
    {
      actions: ['save', 'submit', 'return', 'confirm', 'lock', 'unlock'],
      enums: { status: values(ReportStatus) },
      relations: { project: toOne('Project', 'projectId') },
    },
  ),
  FundProgram: define(
    FundProgram,
    [
      ...RECORD_FIELDS, 'year', 'name', 'source', 'supportFormFlags', 'basis', 'maxRatio', 'cap', 'windowOpensAt', 'windowClosesAt',
      'ownerUnitId', 'description',
    ],
    {
      enums: { source: values(FundSource), basis: values(FundBasis) },
      relations: { ownerUnit: toOne('OrgUnit', 'ownerUnitId'), applications: toMany('FundApplication', 'programId') },
    },
  ),
  FundApplication: define(
    FundApplication,
    [
      ...RECORD_FIELDS, 'programId', 'projectId', 'enterpriseId', 'territoryId', 'supportForm', 'requestedAmount', 'basisAmount',
      'countyOpinion', 'cityOpinion', 'expertScore', 'expertOpinion', 'proposedAmount', 'approvedAmount', 'disbursedAmount',
      'noticeStartsAt', 'noticeEndsAt', 'acceptanceResult', 'status', 'submittedAt',
    ],
    {
      actions: [
        'submit', 'countyReview', 'countyRecommend', 'cityReview', 'expertReview', 'proposeAllocation', 'publishNotice', 'object',
        'approve', 'disburse', 'accept', 'close', 'return', 'reject', 'clawback',
      ],
      enums: { status: values(FundApplicationStatus), supportForm: SUPPORT_FORMS },
      relations: {
        project: toOne('Project', 'projectId'),
        program: toOne('FundProgram', 'programId'),
        enterprise: toOne('Enterprise', 'enterpriseId'),
      },
    },
  ),
  LandRequest: define(
    LandRequest,
    [
      ...RECORD_FIELDS, 'projectId', 'enterpriseId', 'territoryId', 'areaMu', 'landUse', 'location', 'plotNo', 'planConformity',
      'farmlandType', 'supplyMethod', 'investmentIntensity', 'taxPerMu', 'plotRatio', 'expectedDate', 'dealPrice', 'contractNo',
      'deliveredOn', 'status',
    ],
    {
      actions: ['submit', 'review', 'planSupply', 'list', 'recordFailure', 'transact', 'contract', 'deliver', 'close', 'reject', 'withdraw'],
      enums: {
        planConformity: values(PlanConformity), farmlandType: values(FarmlandType),
        supplyMethod: values(SupplyMethod), status: values(LandRequestStatus),
      },
      relations: { project: toOne('Project', 'projectId') },
    },
  ),
  AuditEvent: define(AuditEvent, [
    'id', 'occurredAt', 'actorId', 'actorBindings', 'requestId', 'action', 'subjectType', 'recordId', 'changes', 'territoryId', 'enterpriseId',
  ]),
  WorkflowTransition: define(
    WorkflowTransition,
    [
      'id', 'subjectType', 'recordId', 'axis', 'fromState', 'toState', 'action', 'actorId', 'comment', 'territoryId', 'enterpriseId',
      'createdAt',
    ],
    {
      enums: {
        subjectType: WORKFLOW_SUBJECTS,
        axis: ['status', 'libraryStatus', 'stage'],
        fromState: WORKFLOW_STATES,
        toState: WORKFLOW_STATES,
      },
    },
  ),
};

export function isSubjectName(name: unknown): name is SubjectName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SUBJECTS, name);
}

/** The definition of a subject, or undefined for a name that is not a subject. */
export function subjectOf(name: string): SubjectDefinition | undefined {
  return isSubjectName(name) ? SUBJECTS[name] : undefined;
}

export function isKnownAction(subject: string, action: string): boolean {
  return subjectOf(subject)?.actions.includes(action) ?? false;
}

/** Readable fields of a subject (empty for an unknown name). */
export function fieldsOf(subject: string): readonly string[] {
  return subjectOf(subject)?.fields ?? [];
}
