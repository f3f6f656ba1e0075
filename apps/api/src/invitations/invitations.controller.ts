import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { ApiErrorBody } from '../common/api-error';
import { Public } from '../auth/auth.decorators';
import { Invitations } from '@wholesail/parties';

export class AcceptInvitationDto {
  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200 })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  password!: string;
}

class AcceptedInvitationView {
  @ApiProperty() email!: string;
  @ApiProperty() partyId!: string;
  @ApiProperty({ example: '/auth/login' }) loginUrl!: string;
}

class InvitationView {
  @ApiProperty() email!: string;
  @ApiProperty() partyId!: string;
  @ApiProperty({ example: 'Acme MSP' }) partyName!: string;
  @ApiPropertyOptional({ nullable: true }) expiresAt!: string | null;
}

@ApiTags('auth')
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: Invitations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Whom an invitation is for, while it can still be accepted. A browser (asking for HTML) is sent
   * to the portal's invitation page, where the new admin chooses a password.
   */
  @Public()
  @Get(':token')
  @ApiOperation({ summary: 'Check an invitation (JSON); a browser is redirected to the portal’s invitation page' })
  @ApiOkResponse({ type: InvitationView })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'INVITATION_NOT_FOUND' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'INVITATION_USED, INVITATION_EXPIRED' })
  async check(@Param('token') token: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<InvitationView | undefined> {
    if (req.accepts(['json', 'html']) === 'html') {
      res.redirect(302, `${this.config.portalUrl}/invitations/${encodeURIComponent(token)}`);
      return undefined;
    }
    const user = await this.invitations.check(token);
    return { email: user.email, partyId: user.party.id, partyName: user.party.name, expiresAt: user.invitationExpiresAt?.toISOString() ?? null };
  }

  @Public()
  @Post(':token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation: set the password; then sign in with POST /auth/login' })
  @ApiOkResponse({ type: AcceptedInvitationView })
  async accept(@Param('token') token: string, @Body() dto: AcceptInvitationDto): Promise<AcceptedInvitationView> {
    const user = await this.invitations.accept(token, dto.password);
    return { email: user.email, partyId: user.party.id, loginUrl: '/auth/login' };
  }
}
