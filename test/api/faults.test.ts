/**
 * Faults: the database goes away mid-run and comes back; a transaction fails half-way.
 * On MariaDB the outage is a TCP proxy in front of the server being cut; on SQLite the data
 * source is closed under the running server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/core/db/data-source';
import * as audit from '../../src/modules/audit/audit.service';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { Project } from '../../src/modules/project/project.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase, testDatabaseConfig } from '../helpers/database';
import { createEnterprise, createProject } from '../helpers/domain-factories';
import { createUserWithRole } from '../helpers/factories';
import { TcpProxy } from '../helpers/tcp-proxy';

const db = testDatabaseConfig();

describe('the database goes away and comes back', () => {
  let setup: DataSource;
  let served: DataSource;
  let proxy: TcpProxy | null = null;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    setup = await openTestDatabase();
    if (db.type === 'mysql') {
      const url = new URL(db.url);
      proxy = new TcpProxy(url.hostname, Number(url.port || 3306));
      await proxy.start();
      url.host = `127.0.0.1:${proxy.port}`;
      served = createDataSource({ ...db, url: url.toString() });
      await served.initialize();
    } else {
      // A file, so closing and reopening the data source finds the same database again.
      await setup.destroy();
      const file = join(mkdtempSync(join(tmpdir(), 'tt-faults-')), 'db.sqlite');
      setup = await openTestDatabase({ type: 'sqlite', path: file });
      served = setup;
    }
    t = await startTestApp(served);
    token = await t.login((await createUserWithRole(setup, 'county_officer', 'MY-FC')).username);
  });
  afterAll(async () => {
    await t.close();
    if (served.isInitialized) await served.destroy();
    if (setup.isInitialized) await setup.destroy();
    await proxy?.cut();
  });

  const ready = async () => (await fetch(t.app.url.replace('/graphql', '/ready'))).status;
  const outage = () => (proxy ? proxy.cut() : served.destroy().then(() => undefined));
  const recovery = () => (proxy ? proxy.restore() : served.initialize().then(() => undefined));

  it('reports it on /ready, answers SERVICE_UNAVAILABLE quickly, and recovers on its own', async () => {
    expect(await ready()).toBe(200);
    expect((await t.gql('{ orgUnits(first: 1) { totalCount } }', {}, token)).errors).toBeUndefined();

    await outage();
    expect(await ready()).toBe(503);
    const started = Date.now();
    // A changed authorization version forces a database read even for a cached viewer.
    const res = await t.gql('{ orgUnits(first: 1) { totalCount } }', {}, token);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(res.errors![0].extensions!.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(res)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);

    await recovery();
    let back = false;
    for (let i = 0; i < 50 && !back; i++) {
      back = (await ready()) === 200;
      if (!back) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(true);
    const again = await t.gql('{ orgUnits(first: 1) { totalCount } }', {}, token);
    expect(again.errors).toBeUndefined();
    expect(again.data.orgUnits.totalCount).toBeGreaterThan(0);
  });
});

describe('a transaction that fails half-way', () => {
  let ds: DataSource;
  let t: TestApp;

  beforeAll(async () => {
    ds = await openTestDatabase();
    t = await startTestApp(ds);
  });
  afterAll(async () => {
    await t.close();
    await ds.destroy();
  });

  it('leaves no partial write and no orphan audit event or history', async () => {
    const project = await createProject(ds, await createEnterprise(ds, 'MY-FC'));
    const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
    const auditsBefore = await ds.manager.count(AuditEvent);
    const historyBefore = await ds.manager.count(WorkflowTransition);
    const spy = jest.spyOn(audit, 'recordAudit').mockRejectedValue(new Error('disk full while writing the audit event'));
    try {
      const update = await t.gql(`mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { name } } }`,
        { i: { id: toGlobalId('Project', project.id), expectedVersion: 1, name: '半途而废' } }, token);
      expect(update.errors![0].extensions!.code).toBe('INTERNAL_SERVER_ERROR');
      const submit = await t.gql(`mutation($i: TransitionInput!) { submitProject(input: $i) { project { libraryStatus } } }`,
        { i: { id: toGlobalId('Project', project.id), expectedVersion: 1 } }, token);
      expect(submit.errors![0].extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      spy.mockRestore();
    }
    const stored = await ds.manager.findOneByOrFail(Project, { id: project.id });
    expect({ name: stored.name, version: stored.version, libraryStatus: stored.libraryStatus }).toEqual({
      name: project.name, version: 1, libraryStatus: 'DRAFT',
    });
    expect(await ds.manager.count(AuditEvent)).toBe(auditsBefore);
    expect(await ds.manager.count(WorkflowTransition)).toBe(historyBefore);
  });
});
