import { CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IdColumn, MoneyColumn, TextColumn } from '../../core/db/columns';

/** One payment tranche recorded by 财政局. Append-only. */
@Entity('fund_disbursements')
export class FundDisbursement {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Index()
  @IdColumn()
  applicationId: number;

  @Index()
  @IdColumn()
  territoryId: number;

  @Index()
  @IdColumn()
  enterpriseId: number;

  @MoneyColumn()
  amount: string;

  /** "YYYY-MM-DD" */
  @TextColumn(10)
  paidOn: string;

  @IdColumn()
  recordedById: number;

  @CreateDateColumn({ type: 'datetime' })
  createdAt: Date;
}
