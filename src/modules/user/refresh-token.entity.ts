import { CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IdColumn, TextColumn, TimestampColumn } from '../../core/db/columns';

/**
 * Refresh tokens rotate: each use replaces the token with a new one of the same family.
 * Presenting a token that was already used means it leaked, so the whole family is revoked.
 * Only a SHA-256 of the token is stored.
 */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Index()
  @IdColumn()
  userId: number;

  @Index({ unique: true })
  @TextColumn(64)
  tokenHash: string;

  @Index()
  @TextColumn(36)
  familyId: string;

  @TimestampColumn()
  expiresAt: Date;

  @TimestampColumn({ nullable: true })
  usedAt: Date | null;

  @TimestampColumn({ nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'datetime' })
  createdAt: Date;
}
