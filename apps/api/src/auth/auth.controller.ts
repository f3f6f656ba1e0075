import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { BearerOnly, CurrentPrincipal, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './dto/api-key.dto';
import { LoginDto, PrincipalView, TokenView } from './dto/login.dto';
import { LoginThrottle, LoginThrottlerGuard } from './throttling/login-throttle';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard)
  @ApiOperation({
    summary: 'Exchange email and password for a short-lived access token',
    description:
      'Failed attempts are counted per account and per client address; past the limit the key is blocked (429 with Retry-After), each further block doubling. Successful sign-ins do not count.',
  })
  @ApiOkResponse({ type: TokenView })
  @ApiUnauthorizedResponse({ type: ApiErrorBody })
  @ApiResponse({ status: 429, type: ApiErrorBody, description: 'TOO_MANY_REQUESTS: too many failed sign-ins; see the Retry-After header (seconds)' })
  async login(@Body() dto: LoginDto, @Req() request: Request): Promise<TokenView> {
    const { principal, ...token } = await this.auth.login(dto.email, dto.password);
    await this.throttle.succeeded(request);
    return { ...token, principal: toView(principal) };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Who am I: the caller’s identity, party and roles' })
  @ApiOkResponse({ type: PrincipalView })
  me(@CurrentPrincipal() principal: Principal): PrincipalView {
    return toView(principal);
  }

  @Post('api-keys')
  @BearerOnly()
  @ApiOperation({ summary: 'Create an API key for your party (its admin; the key is shown once)' })
  @ApiOkResponse({ type: CreatedApiKeyView })
  async createApiKey(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const { key, apiKey } = await this.auth.createApiKey(principal, dto.name, dto.roles);
    return { ...ApiKeyView.of(apiKey), key };
  }

  @Get('api-keys')
  @BearerOnly()
  @ApiOperation({ summary: 'List your party’s API keys (its admin)' })
  @ApiOkResponse({ type: [ApiKeyView] })
  async listApiKeys(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return (await this.auth.listApiKeys(principal)).map((key) => ApiKeyView.of(key));
  }

  @Delete('api-keys/:id')
  @BearerOnly()
  @ApiOperation({ summary: 'Revoke an API key of your party (its admin; idempotent)' })
  @ApiOkResponse({ type: ApiKeyView })
  async revokeApiKey(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ApiKeyView> {
    return ApiKeyView.of(await this.auth.revokeApiKey(principal, id));
  }
}

function toView(principal: Principal): PrincipalView {
  return { type: principal.type, id: principal.id, email: principal.email, partyId: principal.partyId, partyKind: principal.partyKind, roles: principal.roles };
}
