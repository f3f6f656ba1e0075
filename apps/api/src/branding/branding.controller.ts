import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { BrandingService } from './branding.service';
import { BrandingEnvelope } from './dto/branding.dto';

@ApiTags('parties')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('branding')
export class BrandingController {
  constructor(private readonly branding: BrandingService) {}

  @Get()
  @ApiOperation({
    summary:
      'The brand your portal shows: your reseller’s (for its users and its clients’ users; a sub-reseller’s client sees that sub-reseller’s), else the operator’s',
  })
  @ApiOkResponse({ type: BrandingEnvelope })
  async get(@CurrentPrincipal() principal: Principal): Promise<BrandingEnvelope> {
    return { branding: await this.branding.forPrincipal(principal) };
  }
}
