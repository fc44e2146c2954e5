import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Project } from '../project/project.entity';
import { loadProject } from '../project/project.service';
import { MonthlyReport } from './monthly-report.entity';

@Resolver(() => MonthlyReport)
export class MonthlyReportResolver {
  @FieldResolver(() => Project, { nullable: true, description: 'Null if the viewer may not see the project.' })
  project(@Ctx() ctx: Context, @Root() r: MonthlyReport): Promise<Project | null> {
    return loadProject(ctx, r.projectId);
  }
}
