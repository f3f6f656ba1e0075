import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiErrorBody } from '../common/api-error';
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
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  map(@Param('token') token: string): Promise<string> {
    return this.solutions.sharedMap(token);
  }
}
