import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A single row whose `version` is bumped by every change to roles, bindings or users' standing.
 * Server processes compare it on each request, so a change takes effect everywhere at once.
 */
@Entity('authorization_version')
export class AuthorizationVersion {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int' })
  version: number;
}
