import { Entity, Index } from 'typeorm';
import { IdColumn, MoneyColumn, VersionedRecord } from '../../core/db/columns';

/** A project's planned investment for one calendar year. */
@Entity('project_annual_plans')
@Index(['projectId', 'year'], { unique: true })
export class ProjectAnnualPlan extends VersionedRecord {
  @IdColumn()
  projectId: number;

  @IdColumn()
  year: number;

  @MoneyColumn()
  plannedInvestment: string;

  @Index()
  @IdColumn()
  territoryId: number;

  @Index()
  @IdColumn()
  enterpriseId: number;
}
