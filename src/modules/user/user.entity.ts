import { Entity, Index } from 'typeorm';
import { BooleanColumn, IdColumn, TextColumn, VersionedRecord } from '../../core/db/columns';

@Entity('users')
export class User extends VersionedRecord {
  @Index({ unique: true })
  @TextColumn(64)
  username: string;

  @TextColumn(100)
  displayName: string;

  /** scrypt$N$r$p$salt$hash — see core/auth/passwords. Never leaves the server. */
  @TextColumn(255)
  passwordHash: string;

  /** Enterprise accounts act for exactly one enterprise. */
  @Index()
  @IdColumn({ nullable: true })
  enterpriseId: number | null;

  @TextColumn(32, { nullable: true })
  phone: string | null;

  @BooleanColumn()
  disabled: boolean;

  @BooleanColumn()
  mustChangePassword: boolean;
}
