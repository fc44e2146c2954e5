import { CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IdColumn } from '../../core/db/columns';

/** (user, role, scope unit): the role's rules apply with placeholders filled from this scope. */
@Entity('role_bindings')
@Index(['userId', 'roleId', 'scopeUnitId'], { unique: true })
export class RoleBinding {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @IdColumn()
  userId: number;

  @Index()
  @IdColumn()
  roleId: number;

  @Index()
  @IdColumn()
  scopeUnitId: number;

  @CreateDateColumn({ type: 'datetime' })
  createdAt: Date;
}
