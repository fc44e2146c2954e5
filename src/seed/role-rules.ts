/**
 * The rules of the built-in roles (domain.md §7.3), as data. Built-in roles are maintained here and
 * re-applied on every start, so upgrades reach them; admins make custom roles for anything else.
 *
 * Placeholders, filled from each binding when the ability is built:
 *   ${scope.id}       the binding's scope unit
 *   ${scope.subtree}  that unit and every unit below it (a county includes its own parks)
 *   ${user.id}        the user
 *   ${user.enterpriseId} the enterprise an enterprise account acts for
 */
import type { StoredRule } from '../modules/user/role.entity';
import type { BuiltInRoleKey } from './roles';

const BUSINESS = ['Enterprise', 'Project', 'MonthlyReport', 'FundProgram', 'FundApplication', 'LandRequest', 'WorkflowTransition'];
const IN_SCOPE = { territoryId: { $in: '${scope.subtree}' } };
const OWN_ENTERPRISE = { enterpriseId: '${user.enterpriseId}' };

/** Expert scores and the allocation proposal are not shown to counties, parks and enterprises before public notice. */
const BEFORE_NOTICE = ['DRAFT', 'SUBMITTED', 'COUNTY_REVIEW', 'COUNTY_RECOMMENDED', 'CITY_REVIEW', 'EXPERT_REVIEW', 'ALLOCATION_PROPOSED', 'RETURNED', 'REJECTED'];
const COUNTY_STAGE = ['SUBMITTED', 'COUNTY_REVIEW', 'COUNTY_RECOMMENDED'];
const hideReviewBeforeNotice: StoredRule = {
  action: 'read',
  subject: 'FundApplication',
  fields: ['expertScore', 'expertOpinion', 'proposedAmount'],
  conditions: { status: { $in: BEFORE_NOTICE } },
  inverted: true,
  reason: 'Expert review and allocation are published at public notice',
};

const readOrgTree: StoredRule = { action: 'read', subject: 'OrgUnit' };
const readAllBusiness: StoredRule = { action: 'read', subject: BUSINESS };

/** History is readable only for the kinds of record the role reads, or it would reveal records they cannot see. */
const readHistoryOf = (...subjectTypes: string[]): StoredRule => ({
  action: 'read',
  subject: 'WorkflowTransition',
  conditions: { subjectType: { $in: subjectTypes } },
});

/** What a territory officer edits on a project; key level and reserve batch are 发改委's, workflow states move only by transition. */
const PROJECT_FIELDS = [
  'name', 'projectCode', 'territoryId', 'parkId', 'site', 'industryCode', 'constructionNature', 'techniqueFlags', 'content',
  'totalInvestment', 'equipmentInvestment', 'plannedStart', 'plannedCompletion',
];
/** An enterprise declares its project's content, not where it is registered. */
const ENTERPRISE_PROJECT_FIELDS = PROJECT_FIELDS.filter((f) => f !== 'territoryId' && f !== 'parkId');
/** An enterprise keeps its own profile; scale, tags and territory are set by government users. */
const OWN_PROFILE_FIELDS = ['name', 'industryCode', 'address', 'contactName', 'contactPhone'];

/** County and park officers do the same work; the binding's scope decides where. */
const territoryOfficer: StoredRule[] = [
  readOrgTree,
  { action: 'read', subject: 'FundProgram' },
  { action: ['read', 'create', 'update'], subject: 'Enterprise', conditions: IN_SCOPE },
  { action: ['read', 'create', 'submit', 'countyCheck', 'return', 'reject', 'changeStage'], subject: 'Project', conditions: IN_SCOPE },
  { action: 'update', subject: 'Project', fields: PROJECT_FIELDS, conditions: IN_SCOPE },
  { action: ['read', 'save', 'submit', 'return', 'confirm'], subject: 'MonthlyReport', conditions: IN_SCOPE },
  { action: ['read', 'create', 'update', 'submit', 'countyReview', 'countyRecommend'], subject: 'FundApplication', conditions: IN_SCOPE },
  // A county returns or rejects only while the application is at the county stage; later it is the city's call.
  { action: ['return', 'reject'], subject: 'FundApplication', conditions: { ...IN_SCOPE, status: { $in: COUNTY_STAGE } } },
  hideReviewBeforeNotice,
  { action: ['read', 'create', 'update', 'submit', 'withdraw'], subject: 'LandRequest', conditions: IN_SCOPE },
  { action: 'read', subject: 'WorkflowTransition', conditions: IN_SCOPE },
];

export const BUILT_IN_RULES: Record<BuiltInRoleKey, StoredRule[]> = {
  admin: [
    { action: 'manage', subject: ['User', 'Role', 'RoleBinding', 'OrgUnit'] },
    { action: 'read', subject: 'AuditEvent' },
    readAllBusiness,
    { action: 'unlock', subject: 'MonthlyReport', reason: 'Only admins reopen a locked period' },
  ],
  city_leader: [readOrgTree, readAllBusiness],
  oversight_officer: [readOrgTree, readAllBusiness, { action: 'read', subject: 'AuditEvent' }],
  jxj_officer: [
    readOrgTree,
    readAllBusiness,
    { action: ['create', 'update'], subject: 'Enterprise' },
    { action: ['create', 'update', 'accept', 'return', 'reject', 'withdraw', 'changeStage'], subject: 'Project' },
    { action: ['return', 'confirm', 'lock'], subject: 'MonthlyReport' },
    { action: ['create', 'update', 'manage'], subject: 'FundProgram' },
    {
      action: ['cityReview', 'expertReview', 'proposeAllocation', 'publishNotice', 'object', 'accept', 'close', 'return', 'reject'],
      subject: 'FundApplication',
    },
  ],
  fgw_officer: [
    readOrgTree,
    readAllBusiness,
    { action: 'update', subject: 'Project', fields: ['keyLevel', 'reserveBatch', 'projectCode'], reason: '发改委 sets key level, reserve batch and project codes' },
  ],
  czj_officer: [
    readOrgTree,
    { action: 'read', subject: ['Enterprise', 'Project', 'FundProgram', 'FundApplication'] },
    readHistoryOf('Project', 'FundApplication'),
    { action: ['cityReview', 'approve', 'disburse', 'clawback', 'return', 'reject'], subject: 'FundApplication' },
  ],
  zrzy_officer: [
    readOrgTree,
    { action: 'read', subject: ['Enterprise', 'Project', 'LandRequest'] },
    readHistoryOf('Project', 'LandRequest'),
    { action: ['review', 'planSupply', 'list', 'recordFailure', 'transact', 'contract', 'deliver', 'close', 'reject'], subject: 'LandRequest' },
  ],
  tjj_officer: [
    readOrgTree,
    { action: 'read', subject: ['Enterprise', 'Project', 'MonthlyReport'] },
    readHistoryOf('Project', 'MonthlyReport'),
    { action: 'registerStats', subject: 'Project' },
  ],
  tcj_officer: [
    readOrgTree,
    { action: 'read', subject: ['Enterprise', 'Project'] },
    readHistoryOf('Project'),
    { action: 'create', subject: ['Enterprise', 'Project'], reason: '投促局 registers signed investment-promotion projects' },
  ],
  county_officer: territoryOfficer,
  park_officer: territoryOfficer,
  enterprise_user: [
    readOrgTree,
    { action: 'read', subject: 'FundProgram' },
    { action: 'read', subject: 'Enterprise', conditions: { id: '${user.enterpriseId}' } },
    { action: 'update', subject: 'Enterprise', fields: OWN_PROFILE_FIELDS, conditions: { id: '${user.enterpriseId}' } },
    {
      action: 'read',
      subject: 'Enterprise',
      fields: ['contactName', 'contactPhone'],
      conditions: { id: { $ne: '${user.enterpriseId}' } },
      inverted: true,
      reason: "Other enterprises' contacts are private",
    },
    { action: ['read', 'create', 'submit'], subject: 'Project', conditions: OWN_ENTERPRISE },
    { action: 'update', subject: 'Project', fields: ENTERPRISE_PROJECT_FIELDS, conditions: OWN_ENTERPRISE },
    { action: ['read', 'save', 'submit'], subject: 'MonthlyReport', conditions: OWN_ENTERPRISE },
    { action: ['read', 'create', 'update', 'submit'], subject: 'FundApplication', conditions: OWN_ENTERPRISE },
    hideReviewBeforeNotice,
    { action: 'read', subject: 'LandRequest', conditions: OWN_ENTERPRISE },
    { action: 'read', subject: 'LandRequest', fields: ['dealPrice'], inverted: true, reason: 'Deal prices are for natural resources, city roles and the owning territory' },
    { action: 'read', subject: 'WorkflowTransition', conditions: OWN_ENTERPRISE },
  ],
};
