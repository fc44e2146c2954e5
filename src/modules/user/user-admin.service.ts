/**
 * User accounts at run time: create, edit, disable/enable, reset password, bind to an enterprise;
 * and the signed-in user's own password change. Every change bumps the authorization version in its
 * transaction (a disabled user's access tokens stop working on the next request everywhere) and
 * is audited without the password hash. A viewer acts on an account only if they could have
 * granted every binding it holds (admin/escalation.ts).
 */
import { randomBytes } from 'node:crypto';
import { EntityManager, IsNull, Not } from 'typeorm';
import type { Context } from '../../app/context';
import { hashPassword, verifyPassword } from '../../core/auth/passwords';
import { bumpAuthzVersion } from '../../core/authz/version';
import { whereTextMatches } from '../../core/db/filters';
import { scopedQuery } from '../../core/db/scoped';
import { badInput, conflict, forbidden, notFound } from '../../core/errors';
import { ConnectionShape, paginate, SortKey } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { loadById } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { OrderDirection } from '../../core/graphql/ordering';
import { patternOrThrow, textOrThrow } from '../../core/validation';
import { adminCreateOrThrow, adminUpdateOrThrow, isUniqueViolation } from '../admin/admin-write';
import { assertMayActOnUserOrThrow } from '../admin/escalation';
import { assertAnotherAdminOrThrow, holdsRootAdmin } from '../admin/lockout';
import { recordAudit } from '../audit/audit.service';
import { getEnterpriseOrThrow } from '../enterprise/enterprise.service';
import { RefreshToken } from './refresh-token.entity';
import { CreateUserInput, ResetUserPasswordInput, UpdateUserInput, UserOrderField, UsersArgs, UserStandingInput } from './user-admin.inputs';
import { User } from './user.entity';
import { inTransaction, managerOf } from '../../core/db/transaction';

const USERNAME = /^[A-Za-z0-9._-]{2,64}$/;
const PHONE = /^[0-9+() -]{5,32}$/;

export const userQuery = (ctx: Context) => scopedQuery(ctx, User, 'u');

/** What audit events record of a user: everything but the password hash. */
const withoutSecret = ({ passwordHash: _secret, ...rest }: User) => ({ ...rest });
const userAudit = { redact: withoutSecret, scopeKeys: (u: User) => ({ enterpriseId: u.enterpriseId }) };

// ---------------------------------------------------------------------------------------------
// Reading

const SORTS: Record<UserOrderField, Omit<SortKey<User>, 'direction'>> = {
  ID: { column: 'u.id', valueOf: (u) => u.id },
  USERNAME: { column: 'u.username', valueOf: (u) => u.username },
};

let existsSeq = 0;

export function listUsers(ctx: Context, args: UsersArgs): Promise<ConnectionShape<User>> {
  const qb = userQuery(ctx);
  const f = args.filter ?? {};
  if (f.search) whereTextMatches(qb, 'filter.search', f.search, { contains: ['u.username', 'u.displayName'] });
  if (f.disabled !== undefined && f.disabled !== null) qb.andWhere('u.disabled = :disabled', { disabled: f.disabled });
  if (f.enterpriseId) qb.andWhere('u.enterpriseId = :enterpriseId', { enterpriseId: idOfTypeOrThrow(f.enterpriseId, 'Enterprise', 'filter.enterpriseId') });
  if (f.roleId || f.boundWithinUnitId) {
    // Filtering by bindings goes through the viewer's own RoleBinding predicate: a binding they may not see must not decide what they get.
    const alias = `frb${++existsSeq}`;
    const seen = ctx.viewer!.permissions.predicate(ctx.ds, 'read', 'RoleBinding', alias);
    const conditions = [`${alias}.userId = u.id`, `(${seen.sql})`];
    const params: Record<string, unknown> = { ...seen.params };
    if (f.roleId) {
      conditions.push(`${alias}.roleId = :${alias}_role`);
      params[`${alias}_role`] = idOfTypeOrThrow(f.roleId, 'Role', 'filter.roleId');
    }
    if (f.boundWithinUnitId) {
      conditions.push(
        `${alias}.scopeUnitId IN (SELECT sub.id FROM org_units sub WHERE sub.path LIKE (SELECT CONCAT(root.path, '%') FROM org_units root WHERE root.id = :${alias}_unit))`,
      );
      params[`${alias}_unit`] = idOfTypeOrThrow(f.boundWithinUnitId, 'OrgUnit', 'filter.boundWithinUnitId');
    }
    qb.andWhere(`EXISTS (SELECT 1 FROM role_bindings ${alias} WHERE ${conditions.join(' AND ')})`, params);
  }
  const order = args.orderBy ?? { field: UserOrderField.USERNAME, direction: OrderDirection.ASC };
  return paginate(qb, args, { ...SORTS[order.field], direction: order.direction }, 'u.id');
}

export function loadUser(ctx: Context, id: number): Promise<User | null> {
  return loadById(ctx.loaders, 'User', () => userQuery(ctx), id);
}
nodeLoaders.set('User', loadUser);

export async function getUserOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<User> {
  const user = await loadUser(ctx, idOfTypeOrThrow(globalId, 'User', field));
  if (!user) throw notFound('User', globalId);
  return user;
}

// ---------------------------------------------------------------------------------------------
// Passwords

/** The password policy: 8–256 characters, at least one letter and one digit, not the username. */
export function passwordOrThrow(field: string, password: string, username: string): string {
  if (password.length < 8) throw badInput(field, `${field} must be at least 8 characters`);
  if (password.length > 256) throw badInput(field, `${field} must be at most 256 characters`);
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) throw badInput(field, `${field} must contain a letter and a digit`);
  if (password.toLowerCase() === username.toLowerCase()) throw badInput(field, `${field} must not be the username`);
  return password;
}

/** 16 characters from an alphabet without look-alikes, with a letter and a digit guaranteed. */
function generatedPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const alphabet = letters + digits;
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  chars[bytes[0] % 8] = letters[bytes[1] % letters.length];
  chars[8 + (bytes[2] % 8)] = digits[bytes[3] % digits.length];
  return chars.join('');
}

/** Ends every session of `userId` (optionally but one): their refresh tokens stop working. Returns how many sessions. */
async function revokeSessions(m: EntityManager, userId: number, keepSessionId?: string): Promise<number> {
  const open = await m.find(RefreshToken, {
    select: { familyId: true },
    where: { userId, revokedAt: IsNull(), ...(keepSessionId ? { familyId: Not(keepSessionId) } : {}) },
  });
  const sessions = [...new Set(open.map((t) => t.familyId))];
  if (sessions.length > 0) {
    await m.update(RefreshToken, { userId, revokedAt: IsNull(), ...(keepSessionId ? { familyId: Not(keepSessionId) } : {}) }, { revokedAt: new Date() });
  }
  return sessions.length;
}

// ---------------------------------------------------------------------------------------------
// Writing

async function enterpriseIdOrThrow(ctx: Context, globalId: string | null | undefined): Promise<number | null | undefined> {
  if (globalId === undefined) return undefined;
  if (globalId === null) return null;
  return (await getEnterpriseOrThrow(ctx, globalId, 'enterpriseId')).id;
}

function phoneOrThrow(phone: string | null | undefined): string | null | undefined {
  if (phone === undefined) return undefined;
  if (phone === null || phone.trim() === '') return null;
  return patternOrThrow('phone', phone, PHONE, 'a phone number');
}

export async function createUser(ctx: Context, input: CreateUserInput): Promise<User> {
  const username = patternOrThrow('username', input.username, USERNAME, 'letters, digits, ".", "_" or "-" (2–64)');
  const displayName = textOrThrow('displayName', input.displayName, 100);
  const password = passwordOrThrow('password', input.password, username);
  const phone = phoneOrThrow(input.phone) ?? null;
  const enterpriseId = (await enterpriseIdOrThrow(ctx, input.enterpriseId)) ?? null;
  const taken = () => conflict(`The username "${username}" is taken`, { field: 'username' });
  // Usernames are unique across all accounts, so the check looks past the viewer's scope on purpose.
  if (await managerOf(ctx).existsBy(User, { username })) throw taken();
  const passwordHash = await hashPassword(password);
  try {
    return await adminCreateOrThrow(
      ctx,
      User,
      { username, displayName, passwordHash, phone, enterpriseId, disabled: false, mustChangePassword: input.mustChangePassword ?? true },
      userAudit,
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function updateUser(ctx: Context, input: UpdateUserInput): Promise<User> {
  const id = idOfTypeOrThrow(input.id, 'User');
  const changes: Partial<User> = {};
  if (input.displayName !== undefined && input.displayName !== null) changes.displayName = textOrThrow('displayName', input.displayName, 100);
  const phone = phoneOrThrow(input.phone);
  if (phone !== undefined) changes.phone = phone;
  const enterpriseId = await enterpriseIdOrThrow(ctx, input.enterpriseId);
  if (enterpriseId !== undefined) changes.enterpriseId = enterpriseId;
  return adminUpdateOrThrow(ctx, User, id, input.expectedVersion, changes, {
    ...userAudit,
    auditAction: 'update',
    // With the enterprise as it will be: a new enterprise refills "${user.enterpriseId}" in every binding.
    validate: (user, m) => assertMayActOnUserOrThrow(ctx, m, { id: user.id, enterpriseId: enterpriseId === undefined ? user.enterpriseId : enterpriseId }),
  });
}

export async function disableUser(ctx: Context, input: UserStandingInput): Promise<User> {
  const id = idOfTypeOrThrow(input.id, 'User');
  let sessionsRevoked = 0;
  return adminUpdateOrThrow(ctx, User, id, input.expectedVersion, { disabled: true }, {
    ...userAudit,
    auditAction: 'disable',
    validate: async (user, m) => {
      if (user.id === ctx.viewer!.user.id) throw forbidden('You cannot disable your own account');
      await assertMayActOnUserOrThrow(ctx, m, user);
      if (!user.disabled && (await holdsRootAdmin(m, user.id))) await assertAnotherAdminOrThrow(m, user.id);
    },
    // Their refresh tokens die with the account; their access tokens are refused from the next request (version bump).
    afterWrite: async (_before, after, m) => {
      sessionsRevoked = await revokeSessions(m, after.id);
    },
    auditExtra: () => ({ after: { sessionsRevoked } }),
  });
}

export async function enableUser(ctx: Context, input: UserStandingInput): Promise<User> {
  const id = idOfTypeOrThrow(input.id, 'User');
  return adminUpdateOrThrow(ctx, User, id, input.expectedVersion, { disabled: false }, {
    ...userAudit,
    auditAction: 'enable',
    validate: (user, m) => assertMayActOnUserOrThrow(ctx, m, user),
  });
}

export async function resetUserPassword(ctx: Context, input: ResetUserPasswordInput): Promise<{ user: User; temporaryPassword: string | null }> {
  const id = idOfTypeOrThrow(input.id, 'User');
  const given = input.temporaryPassword ?? null;
  const temporary = given ?? generatedPassword();
  let sessionsRevoked = 0;
  const user = await adminUpdateOrThrow(
    ctx,
    User,
    id,
    input.expectedVersion,
    async (row) => ({ passwordHash: await hashPassword(passwordOrThrow('temporaryPassword', temporary, row.username)), mustChangePassword: true }),
    {
      ...userAudit,
      auditAction: 'resetPassword',
      validate: (row, m) => assertMayActOnUserOrThrow(ctx, m, row),
      // Whoever held the old password is signed out everywhere.
      afterWrite: async (_before, after, m) => {
        sessionsRevoked = await revokeSessions(m, after.id);
      },
      auditExtra: () => ({ before: { password: 'previous' }, after: { password: 'reset', sessionsRevoked } }),
    },
  );
  return { user, temporaryPassword: given === null ? temporary : null };
}

/**
 * The signed-in user's own password. Not a scoped write: everyone may change their own password,
 * whatever their rules say. Clears `mustChangePassword` and ends the user's other sessions.
 */
export async function changePassword(ctx: Context, currentPassword: string, newPassword: string): Promise<User> {
  const viewer = ctx.viewer!;
  const user = await managerOf(ctx).findOneByOrFail(User, { id: viewer.user.id });
  if (currentPassword.length > 256 || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw badInput('currentPassword', 'currentPassword is not your current password');
  }
  passwordOrThrow('newPassword', newPassword, user.username);
  if (newPassword === currentPassword) throw badInput('newPassword', 'newPassword must differ from the current password');
  const passwordHash = await hashPassword(newPassword);
  return inTransaction(ctx, async (m) => {
    const result = await m
      .createQueryBuilder()
      .update(User)
      .set({ passwordHash, mustChangePassword: false, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: user.id, version: user.version })
      .execute();
    if (!result.affected) throw conflict('Your account was changed meanwhile; try again');
    const sessionsRevoked = await revokeSessions(m, user.id, viewer.sessionId);
    await bumpAuthzVersion(m);
    const after = await m.findOneByOrFail(User, { id: user.id });
    await recordAudit(m, ctx, {
      action: 'changePassword',
      subjectType: 'User',
      recordId: user.id,
      before: { mustChangePassword: user.mustChangePassword, password: 'previous' },
      after: { mustChangePassword: false, password: 'changed', otherSessionsRevoked: sessionsRevoked },
      enterpriseId: user.enterpriseId,
    });
    return after;
  });
}
