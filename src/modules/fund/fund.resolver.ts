import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Project } from '../project/project.entity';
import { loadProject } from '../project/project.service';
import { FundApplication } from './fund-application.entity';
import { FundProgram } from './fund-program.entity';
import { loadFundProgram } from './fund.service';

@Resolver(() => FundApplication)
export class FundApplicationResolver {
  @FieldResolver(() => Project, { nullable: true, description: 'Null if the viewer may not see the project.' })
  project(@Ctx() ctx: Context, @Root() a: FundApplication): Promise<Project | null> {
    return loadProject(ctx, a.projectId);
  }

  @FieldResolver(() => FundProgram, { nullable: true })
  program(@Ctx() ctx: Context, @Root() a: FundApplication): Promise<FundProgram | null> {
    return loadFundProgram(ctx, a.programId);
  }
}
