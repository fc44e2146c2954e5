/**
 * Lock-out guard: a change after which no enabled user holds the built-in admin role at the root of
 * the org tree (unbinding it, disabling its holder) is refused, or nobody could administer the
 * system any more short of editing the database.
 */
import { EntityManager } from 'typeorm';
import { conflict } from '../../core/errors';
import { OrgUnit } from '../org/org-unit.entity';
import { RoleBinding } from '../user/role-binding.entity';
import { Role } from '../user/role.entity';
import { User } from '../user/user.entity';

export const ADMIN_ROLE_KEY = 'admin';

/** Enabled users other than `excludedUserId` holding the admin role at the root. */
function rootAdmins(m: EntityManager, excludedUserId: number) {
  return m
    .createQueryBuilder(RoleBinding, 'rb')
    .innerJoin(Role, 'r', 'r.id = rb.roleId AND r.key = :adminKey', { adminKey: ADMIN_ROLE_KEY })
    .innerJoin(User, 'u', 'u.id = rb.userId AND u.disabled = :disabled', { disabled: false })
    .innerJoin(OrgUnit, 'o', 'o.id = rb.scopeUnitId AND o.parentId IS NULL')
    .where('rb.userId <> :excluded', { excluded: excludedUserId });
}

/** Whether `userId` holds the admin role at the root. */
export function holdsRootAdmin(m: EntityManager, userId: number): Promise<boolean> {
  return m
    .createQueryBuilder(RoleBinding, 'rb')
    .innerJoin(Role, 'r', 'r.id = rb.roleId AND r.key = :adminKey', { adminKey: ADMIN_ROLE_KEY })
    .innerJoin(OrgUnit, 'o', 'o.id = rb.scopeUnitId AND o.parentId IS NULL')
    .where('rb.userId = :userId', { userId })
    .getExists();
}

export async function assertAnotherAdminOrThrow(m: EntityManager, leavingUserId: number): Promise<void> {
  if (!(await rootAdmins(m, leavingUserId).getExists())) {
    throw conflict('This is the last enabled administrator bound at the top of the org tree; make someone else one first');
  }
}
