/**
 * The built-in roles (DESIGN.md §3, domain.md §7.3). A role is only a named rule set; where it
 * applies comes from the scope unit of each binding, so there is one county_officer role for all
 * nine counties, and department roles are bound to the city unit to cover the whole city.
 * Their rules are filled in by the authorization module; the seed creates the roles with none,
 * which grants nothing (deny by default).
 */

export const BUILT_IN_ROLE_KEYS = [
  'admin',
  'city_leader',
  'jxj_officer',
  'fgw_officer',
  'czj_officer',
  'zrzy_officer',
  'tjj_officer',
  'tcj_officer',
  'oversight_officer',
  'county_officer',
  'park_officer',
  'enterprise_user',
] as const;

export type BuiltInRoleKey = (typeof BUILT_IN_ROLE_KEYS)[number];

export interface BuiltInRole {
  key: BuiltInRoleKey;
  name: string;
  description: string;
}

export const BUILT_IN_ROLES: BuiltInRole[] = [
  { key: 'admin', name: '系统管理员', description: 'Users, roles and rules, role bindings, the org tree and the audit log; reopens locked report periods. No business approvals.' },
  { key: 'city_leader', name: '市领导', description: 'Reads every record and dashboard in scope; instructs on coordination issues; keeps own liaison (五个一) portfolio.' },
  { key: 'jxj_officer', name: '经信局业务人员', description: '经信局: runs the 技改 project library, fund programmes and city review, locks monthly periods, rankings and inspections.' },
  { key: 'fgw_officer', name: '发改委业务人员', description: '发改委: sets key-project level and reserve batch, checks project codes and filing, investment rankings.' },
  { key: 'czj_officer', name: '财政局业务人员', description: '财政局: co-reviews fund applications, approves allocations, records disbursements and clawbacks.' },
  { key: 'zrzy_officer', name: '自然资源局业务人员', description: '自然资源和规划局: reviews land requests and records supply plan, listing, transaction, contract and delivery.' },
  { key: 'tjj_officer', name: '统计局业务人员', description: '统计局: reads projects and monthly figures, sets or clears statistical registration (纳统).' },
  { key: 'tcj_officer', name: '投促局业务人员', description: '投促局: registers signed investment-promotion projects and tracks their start and production.' },
  { key: 'oversight_officer', name: '绩效办/督查室人员', description: '绩效办 and 督查室: read everything; publish assessments (红黑榜) and create inspections.' },
  { key: 'county_officer', name: '县（市、区）经信人员', description: 'Own county and its parks: enterprises and projects, library checks, county review of fund applications, report confirmation, land requests.' },
  { key: 'park_officer', name: '园区经信人员', description: 'Own park: the same work as a county officer, for the park.' },
  { key: 'enterprise_user', name: '企业用户', description: 'Own enterprise: profile, project declarations, monthly reports, fund applications and coordination issues.' },
];
