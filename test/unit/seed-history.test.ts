/**
 * The demo history describes its workflows again (src/seed/demo-workflows.ts) to generate plausible
 * records; this keeps that copy honest: every seeded history step is a transition of the real
 * workflow table, with its action name, so the demo data never shows a step the platform cannot take.
 */
import { DataSource } from 'typeorm';
import { Workflow } from '../../src/core/workflow/workflow';
import { fundApplicationWorkflow } from '../../src/modules/fund/fund.transitions';
import { landRequestWorkflow } from '../../src/modules/land/land.transitions';
import { libraryWorkflow, stageWorkflow } from '../../src/modules/project/project.transitions';
import { reportWorkflow } from '../../src/modules/report/report.transitions';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { seedDemoData } from '../../src/seed/seed';
import { openOwnDatabase } from '../helpers/database';

const TABLES: Record<string, Workflow<any, any>> = {
  'Project.libraryStatus': libraryWorkflow,
  'Project.stage': stageWorkflow,
  'MonthlyReport.status': reportWorkflow,
  'FundApplication.status': fundApplicationWorkflow,
  'LandRequest.status': landRequestWorkflow,
};

let ds: DataSource;
beforeAll(async () => {
  ds = await openOwnDatabase('seedhistory');
  await seedDemoData(ds);
});
afterAll(() => ds.destroy());

it('seeds only steps the workflow tables allow, under their names', async () => {
  const steps = await ds.manager.find(WorkflowTransition);
  expect(steps.length).toBeGreaterThan(1000);
  const unknown = new Set<string>();
  for (const s of steps) {
    const table = TABLES[`${s.subjectType}.${s.axis}`];
    const allowed = table?.transitions.some(
      (t) => t.action === s.action && t.from.includes(s.fromState) && (typeof t.to === 'function' || t.to === s.toState),
    );
    if (!allowed) unknown.add(`${s.subjectType}.${s.axis}: ${s.fromState} —${s.action}→ ${s.toState}`);
  }
  expect([...unknown].sort()).toEqual([]);
});
