/** Every entity the data source knows; one list so the app, the CLI and tests agree. */
import { AuditEvent } from '../../modules/audit/audit-event.entity';
import { Enterprise } from '../../modules/enterprise/enterprise.entity';
import { FundApplication } from '../../modules/fund/fund-application.entity';
import { FundDisbursement } from '../../modules/fund/fund-disbursement.entity';
import { FundProgram } from '../../modules/fund/fund-program.entity';
import { LandRequest } from '../../modules/land/land-request.entity';
import { OrgUnit } from '../../modules/org/org-unit.entity';
import { Project } from '../../modules/project/project.entity';
import { ProjectAnnualPlan } from '../../modules/project/project-annual-plan.entity';
import { MonthlyReport } from '../../modules/report/monthly-report.entity';
import { ReportPeriod } from '../../modules/report/report-period.entity';
import { AuthorizationVersion } from '../../modules/user/authorization-version.entity';
import { RefreshToken } from '../../modules/user/refresh-token.entity';
import { Role } from '../../modules/user/role.entity';
import { RoleBinding } from '../../modules/user/role-binding.entity';
import { User } from '../../modules/user/user.entity';
import { WorkflowTransition } from '../../modules/workflow-history/workflow-transition.entity';

export const ENTITIES = [
  OrgUnit, User, Role, RoleBinding, RefreshToken, AuthorizationVersion,
  Enterprise, Project, ProjectAnnualPlan, MonthlyReport, ReportPeriod,
  FundProgram, FundApplication, FundDisbursement, LandRequest,
  WorkflowTransition, AuditEvent,
];
