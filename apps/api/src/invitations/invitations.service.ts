import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { hashPassword, signedTokenMatches } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { DomainError } from '@wholesail/domain';
import { User } from '@wholesail/persistence';

/**
 * One-time invitations for new admins. The link's token is `<userId>.<HMAC(userId, issuedAt)>`:
 * nothing secret is stored, re-sending the same invitation gives the same link, and setting the
 * password (which clears `invitationIssuedAt`) makes the link useless.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(token: string): Promise<User> {
    const [userId, mac] = token.split('.');
    // A strict UUID: PostgreSQL refuses to compare anything else with a uuid column (a 500, not a 404).
    const user = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId ?? '')
      ? await this.em.findOne(User, { id: userId }, { populate: ['party'] })
      : null;
    if (!user || !mac) throw DomainError.notFound('INVITATION_NOT_FOUND', 'this invitation link is not valid');
    if (user.status !== 'invited' || !user.invitationIssuedAt)
      throw DomainError.conflict('INVITATION_USED', 'this invitation was already used: sign in with your password');
    if (!signedTokenMatches(this.config.jwt.secret, 'invitation', `${user.id}:${user.invitationIssuedAt.toISOString()}`, mac))
      throw DomainError.notFound('INVITATION_NOT_FOUND', 'this invitation link is not valid');
    if (user.invitationExpiresAt && user.invitationExpiresAt.getTime() < Date.now())
      throw DomainError.conflict('INVITATION_EXPIRED', 'this invitation has expired: ask the operator for a new one');
    return user;
  }

  async accept(token: string, password: string): Promise<User> {
    const user = await this.check(token);
    user.passwordHash = await hashPassword(password);
    user.status = 'active';
    user.invitationIssuedAt = null;
    user.invitationExpiresAt = null;
    await this.em.flush();
    return user;
  }
}
