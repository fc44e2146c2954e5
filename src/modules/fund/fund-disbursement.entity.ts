import { Field, ObjectType } from 'type-graphql';
import { CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IdColumn, MoneyColumn, TextColumn } from '../../core/db/columns';
import { DecimalScalar } from '../../core/graphql/scalars';

/**
 * One payment tranche recorded by 财政局. Append-only: written only by the `disburse` transition,
 * in the transaction that adds its amount to the application's `disbursedAmount`. Read through the
 * application's rules (it carries the application's scope keys).
 */
@ObjectType({ description: 'One payment tranche of a fund application, recorded by 财政局.' })
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

  @Field(() => DecimalScalar, { description: '万元' })
  @MoneyColumn()
  amount: string;

  /** "YYYY-MM-DD" */
  @Field(() => String, { description: 'The day the money was paid, "YYYY-MM-DD".' })
  @TextColumn(10)
  paidOn: string;

  @IdColumn()
  recordedById: number;

  @Field(() => Date, { description: 'When it was recorded.' })
  @CreateDateColumn({ type: 'datetime' })
  createdAt: Date;
}
