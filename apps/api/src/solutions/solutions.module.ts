import { Module } from '@nestjs/common';
import { DesignsModule } from '@wholesail/designs';
import { SharedDesignsController } from './shared-designs.controller';
import { SolutionPoliciesController } from './solution-policies.controller';
import { SolutionPoliciesService } from './solution-policies.service';
import { SolutionsController } from './solutions.controller';
import { SolutionsService } from './solutions.service';

/** Solution designs, their approval and network maps, over the designs library (libs/designs). */
@Module({
  imports: [DesignsModule],
  controllers: [SolutionsController, SolutionPoliciesController, SharedDesignsController],
  providers: [SolutionsService, SolutionPoliciesService],
})
export class SolutionsModule {}
