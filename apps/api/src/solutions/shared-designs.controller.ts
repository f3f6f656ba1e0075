import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
import { sendsSvg } from './svg-response';
import { SolutionsService } from './solutions.service';

/** What a share link opens: the version's network map and nothing else, to anyone holding the link. */
@ApiTags('solutions')
@Controller('shared/designs')
export class SharedDesignsController {
  constructor(private readonly solutions: SolutionsService) {}

  @Public()
  @Get(':token')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'A shared network map (public, by link): the SVG only; an expired, revoked or wrong link is a 404' })
  @ApiOkResponse({ description: 'an SVG document', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ApiErrorBody })
  async map(@Param('token') token: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const svg = await this.solutions.sharedMap(token);
    sendsSvg(response);
    // Revocable: never kept by a browser or a proxy, and the link is not passed on as a referrer.
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    return svg;
  }
}
