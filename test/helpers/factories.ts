/**
 * Factories: each test builds the rows it needs. Names and codes carry a per-process sequence so
 * tests sharing a MySQL worker database never collide.
 */
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../../src/core/auth/passwords';
import { OrgUnit } from '../../src/modules/org/org-unit.entity';
import { Role } from '../../src/modules/user/role.entity';
import { RoleBinding } from '../../src/modules/user/role-binding.entity';
import { User } from '../../src/modules/user/user.entity';
import { TEST_PASSWORD } from './app';

let seq = 0;
/** A string unique across processes and runs against the same database. */
export const unique = (prefix: string) => `${prefix}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${(++seq).toString(36)}`;

let passwordHash: Promise<string> | undefined;
const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

type Db = DataSource | EntityManager;
const manager = (db: Db) => (db instanceof DataSource ? db.manager : db);

export async function unitByCode(db: Db, code: string): Promise<OrgUnit> {
  return manager(db).findOneByOrFail(OrgUnit, { code });
}

export async function createUser(db: Db, attrs: Partial<User> = {}): Promise<User> {
  const m = manager(db);
  const user = m.create(User, {
    username: unique('u'),
    displayName: 'Test user',
    passwordHash: await testPasswordHash(),
    ...attrs,
  });
  return m.save(user);
}

/** A user bound to `roleKey` at `scopeCode` (an org unit code); more bindings with `bind`. */
export async function createUserWithRole(db: Db, roleKey: string, scopeCode: string, attrs: Partial<User> = {}): Promise<User> {
  const user = await createUser(db, attrs);
  await bind(db, user, roleKey, scopeCode);
  return user;
}

export async function bind(db: Db, user: User, roleKey: string, scopeCode: string): Promise<RoleBinding> {
  const m = manager(db);
  const role = await m.findOneByOrFail(Role, { key: roleKey });
  const scope = await unitByCode(m, scopeCode);
  return m.save(m.create(RoleBinding, { userId: user.id, roleId: role.id, scopeUnitId: scope.id }));
}
