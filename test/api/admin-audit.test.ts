/**
 * The audit log: read by admins and the oversight office, filtered by actor, subject type, record,
 * action and time; each event carries the actor, their bindings then, the request id and the
 * changed fields. Nothing in the API changes or deletes an event; retention is a command.
 */
import { getNamedType, GraphQLObjectType } from 'graphql';
import { DataSource } from 'typeorm';
import { buildSchema } from '../../src/app/build-schema';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { pruneAuditEvents, retentionDaysOrThrow } from '../../src/modules/audit/audit-retention';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUser, createUserWithRole, unique, unitByCode } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
let admin: string;
let adminId: number;

const gid = toGlobalId;
const EVENTS = `query($f: AuditEventFilter, $first: Int, $after: String) { auditEvents(filter: $f, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id occurredAt action subjectType recordId requestId actor { id username displayName } actorBindings { role scopeUnitId } before after } }
} }`;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  const user = await createUserWithRole(ds, 'admin', 'MY');
  adminId = user.id;
  admin = await t.login(user.username);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

/** A user changed three times by the admin: update, disable, enable. */
async function changedUser() {
  const user = await createUser(ds);
  const id = gid('User', user.id);
  await t.gql(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id } } }`, { i: { id, expectedVersion: 1, displayName: '改名' } }, admin);
  await t.gql(`mutation($i: UserStandingInput!) { disableUser(input: $i) { user { id } } }`, { i: { id, expectedVersion: 2 } }, admin);
  await t.gql(`mutation($i: UserStandingInput!) { enableUser(input: $i) { user { id } } }`, { i: { id, expectedVersion: 3 } }, admin);
  return user;
}

describe('auditEvents', () => {
  it('lists the events of one record, newest first, with actor, bindings, request id and before/after', async () => {
    const user = await changedUser();
    const res = await t.gql(EVENTS, { f: { recordId: gid('User', user.id) } }, admin);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.auditEvents.edges.map((e: any) => e.node);
    expect(res.data.auditEvents.totalCount).toBe(3);
    expect(nodes.map((n: any) => n.action)).toEqual(['enable', 'disable', 'update']);
    const my = gid('OrgUnit', (await unitByCode(ds, 'MY')).id);
    for (const node of nodes) {
      expect(node).toMatchObject({ subjectType: 'User', recordId: gid('User', user.id), actor: { id: gid('User', adminId) }, actorBindings: [{ role: 'admin', scopeUnitId: my }] });
      expect(node.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(node.occurredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(nodes[2]).toMatchObject({ before: { displayName: 'Test user' }, after: { displayName: '改名' } });
    expect(new Set(nodes.map((n: any) => n.requestId)).size).toBe(3);
  });

  it('filters by actor, subject type, actions and time range, and pages', async () => {
    const user = await changedUser();
    const since = new Date(Date.now() - 60_000).toISOString();
    const byActor = await t.gql(EVENTS, { f: { actorId: gid('User', adminId), subjectType: 'User', actions: ['disable', 'enable'], occurredAt: { from: since } }, first: 100 }, admin);
    expect(byActor.errors).toBeUndefined();
    const mine = byActor.data.auditEvents.edges.filter((e: any) => e.node.recordId === gid('User', user.id)).map((e: any) => e.node.action);
    expect(mine).toEqual(['enable', 'disable']);
    expect(byActor.data.auditEvents.edges.every((e: any) => ['enable', 'disable'].includes(e.node.action) && e.node.subjectType === 'User')).toBe(true);

    const future = await t.gql(EVENTS, { f: { recordId: gid('User', user.id), occurredAt: { from: new Date(Date.now() + 3_600_000).toISOString() } } }, admin);
    expect(future.data.auditEvents.totalCount).toBe(0);
    const past = await t.gql(EVENTS, { f: { recordId: gid('User', user.id), occurredAt: { to: new Date(Date.now() - 3_600_000).toISOString() } } }, admin);
    expect(past.data.auditEvents.totalCount).toBe(0);

    const page1 = await t.gql(EVENTS, { f: { recordId: gid('User', user.id) }, first: 2 }, admin);
    const page2 = await t.gql(EVENTS, { f: { recordId: gid('User', user.id) }, first: 2, after: page1.data.auditEvents.pageInfo.endCursor }, admin);
    expect([...page1.data.auditEvents.edges, ...page2.data.auditEvents.edges].map((e: any) => e.node.action)).toEqual(['enable', 'disable', 'update']);

    const mismatch = await t.gql(EVENTS, { f: { subjectType: 'Project', recordId: gid('User', user.id) } }, admin);
    expect(mismatch.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.recordId' });
  });

  it('is readable by the oversight office, not by county officers, not anonymously', async () => {
    const user = await changedUser();
    const oversight = await t.login((await createUserWithRole(ds, 'oversight_officer', 'MY')).username);
    const res = await t.gql(EVENTS, { f: { recordId: gid('User', user.id) } }, oversight);
    expect(res.errors).toBeUndefined();
    // The oversight office does not read user accounts, but sees who acted.
    expect(res.data.auditEvents.edges[0].node.actor.id).toBe(gid('User', adminId));
    const county = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
    expect(codeOf(await t.gql(EVENTS, {}, county))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(EVENTS, {}))).toBe('UNAUTHENTICATED');
  });

  it('offers no mutation that changes or deletes an event', async () => {
    const schema = await buildSchema();
    const mutations = Object.values(schema.getMutationType()!.getFields());
    const touching = mutations.filter((m) => /audit/i.test(m.name) || (getNamedType(m.type) as GraphQLObjectType).name.includes('Audit'));
    expect(touching.map((m) => m.name)).toEqual([]);
  });
});

describe('retention', () => {
  it('parses --days N and refuses anything but a whole number of at least one day', () => {
    expect(retentionDaysOrThrow(['--days', '90'])).toBe(90);
    expect(retentionDaysOrThrow(['--days=365'])).toBe(365);
    for (const argv of [[], ['--days'], ['--days', '0'], ['--days', '-5'], ['--days', '1.5'], ['--days', 'ten'], ['--days=0']]) {
      expect(() => retentionDaysOrThrow(argv)).toThrow(/--days|Usage/);
    }
  });

  it('deletes events older than N days only, and records that it did', async () => {
    const action = unique('old');
    const day = 86_400_000;
    await ds.manager.insert(AuditEvent, [400, 10].map((age) => ({
      occurredAt: new Date(Date.now() - age * day), actorId: null, actorBindings: null, requestId: null, action, subjectType: 'Test',
      recordId: age, changes: null, territoryId: null, enterpriseId: null,
    })));
    const result = await pruneAuditEvents(ds, 365);
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    const left = await ds.manager.find(AuditEvent, { where: { action } });
    expect(left.map((e) => e.recordId)).toEqual([10]);
    const [record] = await ds.manager.find(AuditEvent, { where: { action: 'prune' }, order: { id: 'DESC' }, take: 1 });
    expect(record.changes!.after).toMatchObject({ olderThanDays: 365, deleted: result.deleted });
    await expect(pruneAuditEvents(ds, 0)).rejects.toThrow(/at least 1/);
  });
});
