import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Principal } from '@wholesail/auth';
import { ApiErrorBody } from '../common/api-error';
import { CurrentPrincipal, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './dto/api-key.dto';
import { LoginDto, PrincipalView, TokenView } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a short-lived access token' })
  @ApiOkResponse({ type: TokenView })
  @ApiUnauthorizedResponse({ type: ApiErrorBody })
  @ApiForbiddenResponse({ type: ApiErrorBody, description: 'PARTY_INACTIVE: the user’s organisation is suspended or closed' })
  async login(@Body() dto: LoginDto): Promise<TokenView> {
    const { principal, ...token } = await this.auth.login(dto.email, dto.password);
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
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create an API key for your party (the key is shown once)' })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async createApiKey(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const { key, apiKey } = await this.auth.createApiKey(principal, dto.name, dto.roles);
    return { ...ApiKeyView.of(apiKey), key };
  }

  @Get('api-keys')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'List your party’s API keys' })
  @ApiOkResponse({ type: [ApiKeyView] })
  async listApiKeys(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return (await this.auth.listApiKeys(principal)).map((key) => ApiKeyView.of(key));
  }

  @Delete('api-keys/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke an API key (idempotent)' })
  @ApiOkResponse({ type: ApiKeyView })
  async revokeApiKey(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<ApiKeyView> {
    return ApiKeyView.of(await this.auth.revokeApiKey(principal, id));
  }
}

function toView(principal: Principal): PrincipalView {
  return { type: principal.type, id: principal.id, email: principal.email, partyId: principal.partyId, partyKind: principal.partyKind, roles: principal.roles };
}
