import { Body, Controller, Get, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { SolutionPolicyView, UpdateSolutionPolicyDto } from './dto/solution.dto';
import { SolutionPoliciesService } from './solution-policies.service';

@ApiTags('solutions')
@ApiBearerAuth()
@Controller('solution-policies')
export class SolutionPoliciesController {
  constructor(private readonly policies: SolutionPoliciesService) {}

  @Get(':resellerId')
  @ApiOperation({ summary: 'A reseller’s solution policy: who approves its clients’ designs, when the operator must, the waits, and what it does not sell' })
  @ApiOkResponse({ type: SolutionPolicyView })
  get(@CurrentPrincipal() principal: Principal, @Param('resellerId', new ParseUUIDPipe()) resellerId: string): Promise<SolutionPolicyView> {
    return this.policies.get(principal, resellerId);
  }

  @Patch(':resellerId')
  @Roles('operator-admin', 'reseller-admin')
  @ApiOperation({
    summary: 'Change a reseller’s solution policy: the operator everything; the reseller’s own admin its client acceptance and the items it does not sell',
  })
  @ApiOkResponse({ type: SolutionPolicyView })
  @ApiBadRequestResponse({ type: ApiErrorBody, description: 'SOLUTION_INVALID_POLICY, naming each field' })
  @ApiForbiddenResponse({ type: ApiErrorBody, description: 'SOLUTION_FORBIDDEN, naming the fields only the operator sets' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('resellerId', new ParseUUIDPipe()) resellerId: string,
    @Body() dto: UpdateSolutionPolicyDto,
  ): Promise<SolutionPolicyView> {
    return this.policies.update(principal, resellerId, dto);
  }
}
