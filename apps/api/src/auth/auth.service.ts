import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { apiKeyMatches, generateApiKey, parseApiKey, verifyPassword, type AccessTokenClaims, type Principal } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { DomainError, isPartyAdmin, normalizeEmail, PARTY_ADMIN_ROLE, rolesFitParty, type Role } from '@wholesail/domain';
import { ApiKey, Party, User } from '@wholesail/persistence';

const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message, [], 'unauthenticated');

@Injectable()
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number; principal: Principal }> {
    const user = await this.em.findOne(User, { email: normalizeEmail(email) }, { populate: ['party', 'passwordHash'] });
    const passwordOk = await verifyPassword(password, user?.passwordHash);
    if (!user || !passwordOk || user.status !== 'active') throw unauthenticated('email or password is incorrect');
    if (user.party.status === 'suspended' || user.party.status === 'closed')
      throw DomainError.forbidden('PARTY_INACTIVE', `your organisation is ${user.party.status}`);
    user.lastLoginAt = new Date();
    await this.em.flush();
    const claims: AccessTokenClaims = { sub: user.id, pid: user.party.id, roles: user.roles };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.jwt.ttlSeconds });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwt.ttlSeconds, principal: this.userPrincipal(user) };
  }

  /** Resolves a bearer token; the user and party are re-read so a disabled user is locked out at once. */
  async principalFromToken(token: string): Promise<Principal> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      throw unauthenticated('the access token is invalid or expired');
    }
    const user = await this.em.findOne(User, { id: claims.sub }, { populate: ['party'] });
    if (!user || user.status !== 'active') throw unauthenticated('the user no longer exists or is disabled');
    this.assertPartyActive(user.party);
    return this.userPrincipal(user);
  }

  async principalFromApiKey(rawKey: string): Promise<Principal> {
    const parsed = parseApiKey(rawKey);
    if (!parsed) throw unauthenticated('the API key is malformed');
    const key = await this.em.findOne(ApiKey, { prefix: parsed.prefix }, { populate: ['party', 'secretHash'] });
    if (!key || key.revokedAt || !apiKeyMatches(parsed.secret, key.secretHash)) throw unauthenticated('the API key is invalid or revoked');
    this.assertPartyActive(key.party);
    // Recording last use is best effort and must not slow or fail the request.
    void this.em
      .fork()
      .nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: new Date() })
      .catch(() => undefined);
    return {
      type: 'api-key',
      id: key.id,
      ref: `api-key:${key.id}`,
      partyId: key.party.id,
      partyKind: key.party.kind,
      partyPath: key.party.path,
      roles: key.roles,
    };
  }

  async createApiKey(principal: Principal, name: string, roles: Role[] | undefined): Promise<{ key: string; apiKey: ApiKey }> {
    this.assertKeyManager(principal);
    const granted = roles ?? principal.roles;
    const notHeld = granted.filter((role) => !principal.roles.includes(role));
    if (notHeld.length) throw DomainError.invalid('API_KEY_ROLES', 'roles', `includes roles you do not hold: ${notHeld.join(', ')}`);
    const party = await this.em.findOneOrFail(Party, { id: principal.partyId });
    if (!rolesFitParty(granted, party.kind)) throw DomainError.invalid('API_KEY_ROLES', 'roles', `do not fit a ${party.kind}`);
    const generated = generateApiKey();
    const apiKey = this.em.create(ApiKey, {
      name,
      prefix: generated.prefix,
      secretHash: generated.secretHash,
      party,
      createdBy: this.em.getReference(User, principal.id),
      roles: granted,
    });
    await this.em.flush();
    return { key: generated.key, apiKey };
  }

  async listApiKeys(principal: Principal): Promise<ApiKey[]> {
    this.assertKeyManager(principal);
    return this.em.find(ApiKey, { party: principal.partyId }, { orderBy: { createdAt: 'desc' } });
  }

  async revokeApiKey(principal: Principal, id: string): Promise<ApiKey> {
    this.assertKeyManager(principal);
    const key = await this.em.findOne(ApiKey, { id, party: principal.partyId });
    if (!key) throw DomainError.notFound('API_KEY_NOT_FOUND', `API key ${id} does not exist`);
    key.revokedAt ??= new Date();
    await this.em.flush();
    return key;
  }

  /** A party's keys are managed by its admin (see PARTY_ADMIN_ROLE), signed in as a person. */
  private assertKeyManager(principal: Principal): void {
    if (principal.type !== 'user') throw DomainError.forbidden('BEARER_TOKEN_REQUIRED', 'API keys are managed by people: sign in, do not use an API key');
    if (!isPartyAdmin(principal.roles, principal.partyKind)) {
      const admin = PARTY_ADMIN_ROLE[principal.partyKind];
      throw DomainError.forbidden(
        'API_KEY_ADMIN_REQUIRED',
        admin ? `only a ${admin} of your party manages its API keys` : `a ${principal.partyKind} has no API keys: its reseller acts for it`,
      );
    }
  }

  private assertPartyActive(party: Party): void {
    if (party.status === 'suspended' || party.status === 'closed') throw DomainError.forbidden('PARTY_INACTIVE', `your organisation is ${party.status}`);
  }

  private userPrincipal(user: User): Principal {
    return {
      type: 'user',
      id: user.id,
      ref: `user:${user.id}`,
      email: user.email,
      partyId: user.party.id,
      partyKind: user.party.kind,
      partyPath: user.party.path,
      roles: user.roles,
    };
  }
}
