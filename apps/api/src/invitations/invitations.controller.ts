import { Body, Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody } from '../common/api-error';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '@wholesail/auth';
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

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

@ApiTags('auth')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: Invitations) {}

  /** The link in the welcome e-mail: a small page where the new admin chooses a password. */
  @Public()
  @Get(':token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'")
  @ApiOperation({ summary: 'The invitation page (HTML): choose a password' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'the page; an invalid or used link says so on the page', schema: { type: 'string' } })
  async page(@Param('token') token: string): Promise<string> {
    let body: string;
    try {
      const user = await this.invitations.check(token);
      body = `<h1>Welcome to Wholesail</h1><p>Choose a password for <b>${escape(user.email)}</b> (${escape(user.party.name)}).</p>
<form id="f"><input type="password" id="p" minlength="10" required placeholder="at least 10 characters" autocomplete="new-password"><button>Set password</button></form><p id="m"></p>
<script>document.getElementById('f').onsubmit=async(e)=>{e.preventDefault();const r=await fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({password:document.getElementById('p').value})});const j=await r.json();document.getElementById('m').textContent=r.ok?'Done: sign in with '+j.email+' and your new password.':j.message;}</script>`;
    } catch (error) {
      body = `<h1>Invitation</h1><p>${escape(error instanceof Error ? error.message : 'this invitation link is not valid')}</p>`;
    }
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Wholesail invitation</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}input,button{font-size:1rem;padding:.5rem;margin:.25rem 0;width:100%}</style></head><body>${body}</body></html>`;
  }

  @Public()
  @Post(':token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation: set the password; then sign in with POST /auth/login' })
  @ApiOkResponse({ type: AcceptedInvitationView })
  @ApiNotFoundResponse({ type: ApiErrorBody, description: 'INVITATION_NOT_FOUND: the link is not valid' })
  @ApiConflictResponse({ type: ApiErrorBody, description: 'INVITATION_USED, INVITATION_EXPIRED' })
  async accept(@Param('token') token: string, @Body() dto: AcceptInvitationDto): Promise<AcceptedInvitationView> {
    const user = await this.invitations.accept(token, dto.password);
    return { email: user.email, partyId: user.party.id, loginUrl: '/auth/login' };
  }
}
