import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { DecimalScalar } from '../../core/graphql/scalars';
import { divideDecimalByInteger } from '../../core/db/decimal';
import { Project } from '../project/project.entity';
import { loadProject } from '../project/project.service';
import { LandRequest } from './land-request.entity';

const MU_PER_HECTARE = 15;

@Resolver(() => LandRequest)
export class LandRequestResolver {
  @FieldResolver(() => Project, { nullable: true, description: 'Null if the viewer may not see the project.' })
  project(@Ctx() ctx: Context, @Root() l: LandRequest): Promise<Project | null> {
    return loadProject(ctx, l.projectId);
  }

  @FieldResolver(() => DecimalScalar, { description: 'Area in hectares (公顷): areaMu ÷ 15, to 4 decimal places.' })
  areaHectares(@Root() l: LandRequest): string {
    return divideDecimalByInteger(l.areaMu, MU_PER_HECTARE);
  }
}
