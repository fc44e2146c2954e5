/**
 * Chinese labels of the enums that appear in spreadsheets. Exports write the label; imports accept
 * the label or the enum code. Each map is a full Record over its enum, so a new value added to an
 * enum fails the build here until it has a label.
 */
import { EnterpriseScale, EnterpriseTag } from '../enterprise/enterprise.entity';
import { FundApplicationStatus } from '../fund/fund-application.entity';
import { SupportForm } from '../fund/fund-program.entity';
import { FarmlandType, LandRequestStatus, PlanConformity, SupplyMethod } from '../land/land-request.entity';
import { ConstructionNature, ConstructionStage, KeyLevel, LibraryStatus, Technique } from '../project/project.entity';
import { ReportStatus } from '../report/monthly-report.entity';

export const CONSTRUCTION_NATURE_LABELS: Record<ConstructionNature, string> = {
  NEW: '新建',
  EXPANSION: '扩建',
  RENOVATION: '改建和技术改造',
  RELOCATION: '迁建',
  PURCHASE_ONLY: '单纯购置',
};

export const TECHNIQUE_LABELS: Record<Technique, string> = {
  SMART: '智能化',
  DIGITAL: '数字化',
  GREEN: '绿色化',
  SAFETY: '安全',
  EQUIPMENT_RENEWAL: '设备更新',
  CAPACITY: '产能',
};

export const KEY_LEVEL_LABELS: Record<KeyLevel, string> = { NONE: '一般项目', CITY: '市重点', PROVINCE: '省重点' };

export const LIBRARY_STATUS_LABELS: Record<LibraryStatus, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  COUNTY_CHECKED: '县区已审核',
  IN_LIBRARY: '已入库',
  RETURNED: '已退回',
  REJECTED: '未通过',
  WITHDRAWN: '已出库',
};

export const STAGE_LABELS: Record<ConstructionStage, string> = {
  PLANNING: '谋划',
  PREPARATION: '前期',
  UNDER_CONSTRUCTION: '在建',
  COMPLETED: '竣工',
  IN_PRODUCTION: '投产',
  SUSPENDED: '停缓建',
  TERMINATED: '终止',
};

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  OPEN: '填报中',
  SUBMITTED: '已报送',
  RETURNED: '已退回',
  CONFIRMED: '已确认',
  LOCKED: '已锁定',
};

export const SCALE_LABELS: Record<EnterpriseScale, string> = { ABOVE_SCALE: '规上', BELOW_SCALE: '规下' };

export const ENTERPRISE_TAG_LABELS: Record<EnterpriseTag, string> = {
  KEY_ENTERPRISE: '重点企业',
  CHAIN_LEADER: '链主企业',
  SPECIALISED_INNOVATIVE: '专精特新',
};

export const FUND_APPLICATION_STATUS_LABELS: Record<FundApplicationStatus, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  COUNTY_REVIEW: '县区审核中',
  COUNTY_RECOMMENDED: '县区已推荐',
  CITY_REVIEW: '市级审核中',
  EXPERT_REVIEW: '专家评审中',
  ALLOCATION_PROPOSED: '已拟定分配',
  PUBLIC_NOTICE: '公示中',
  APPROVED: '已批准',
  DISBURSING: '拨付中',
  DISBURSED: '已拨付',
  ACCEPTED: '已验收',
  CLOSED: '已结项',
  RETURNED: '已退回',
  REJECTED: '未通过',
  CLAWBACK: '已追回',
};

export const SUPPORT_FORM_LABELS: Record<SupportForm, string> = { SUBSIDY: '补助', INTEREST_SUBSIDY: '贴息', AWARD: '奖励' };

export const LAND_STATUS_LABELS: Record<LandRequestStatus, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  NR_REVIEW: '自然资源审查中',
  IN_SUPPLY_PLAN: '已纳入供地计划',
  LISTED: '已挂牌',
  FAILED: '流拍',
  TRANSACTED: '已成交',
  CONTRACTED: '已签合同',
  DELIVERED: '已交地',
  CLOSED: '已办结',
  REJECTED: '未通过',
  WITHDRAWN: '已撤回',
};

export const PLAN_CONFORMITY_LABELS: Record<PlanConformity, string> = { CONFORMS: '符合规划', NEEDS_ADJUSTMENT: '需调整规划' };

export const FARMLAND_LABELS: Record<FarmlandType, string> = { NONE: '不涉及', CULTIVATED: '耕地', PERMANENT_BASIC: '永久基本农田' };

export const SUPPLY_METHOD_LABELS: Record<SupplyMethod, string> = {
  LISTING: '挂牌',
  AUCTION: '拍卖',
  TENDER: '招标',
  AGREEMENT: '协议',
  LEASE_THEN_TRANSFER: '先租后让',
  LONG_LEASE: '长期租赁',
  FLEXIBLE_TERM: '弹性年期',
};

/** The label of `value`, or the value itself if it has none (e.g. a value stored before a rename). */
export function labelOf<K extends string>(labels: Record<K, string>, value: K | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return labels[value] ?? value;
}

/** The enum value whose label or code is `text` (trimmed; codes case-insensitive), or null. */
export function valueOfLabel<K extends string>(labels: Record<K, string>, text: string): K | null {
  const t = text.trim();
  for (const [key, label] of Object.entries(labels) as [K, string][]) {
    if (label === t || key === t.toUpperCase()) return key;
  }
  return null;
}
