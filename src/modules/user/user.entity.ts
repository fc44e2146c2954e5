import { Field, ObjectType } from 'type-graphql';
import { Entity, Index } from 'typeorm';
import { NodeRecord } from '../../core/graphql/node';
import { BooleanColumn, IdColumn, TextColumn, VersionedRecord } from '../../core/db/columns';

@ObjectType({ implements: NodeRecord, description: 'A person who signs in.' })
@Entity('users')
export class User extends VersionedRecord {
  @Index({ unique: true })
  @TextColumn(64)
  @Field(() => String)
  username: string;

  @TextColumn(100)
  @Field(() => String)
  displayName: string;

  /** scrypt$N$r$p$salt$hash — see core/auth/passwords. Never leaves the server. */
  @TextColumn(255)
  passwordHash: string;

  /** Enterprise accounts act for exactly one enterprise. */
  @Index()
  @IdColumn({ nullable: true })
  enterpriseId: number | null;

  @TextColumn(32, { nullable: true })
  @Field(() => String, { nullable: true })
  phone: string | null;

  @BooleanColumn()
  @Field(() => Boolean)
  disabled: boolean;

  @BooleanColumn()
  @Field(() => Boolean)
  mustChangePassword: boolean;
}
