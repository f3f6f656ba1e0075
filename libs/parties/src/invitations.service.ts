import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { hashPassword, signedToken, signedTokenMatches } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { DomainError, InvitationErrorCode, PartyErrorCode, type Role } from '@wholesail/domain';
import { User, type Party } from '@wholesail/persistence';
import { USER_UNIQUE_INDEXES, violatedRule } from './party-constraints';

const PURPOSE = 'invitation';

export interface NewAdmin {
  party: Party;
  email: string;
  displayName: string;
  role: Role;
}

/**
 * A new party's first admin and its one-time invitation, issued and redeemed here. The link's
 * token is `<userId>.<HMAC(userId, issuedAt)>`: nothing secret is stored, issuing the link again
 * for the same invitation gives the same link (a retried activity e-mails the same one), and
 * setting the password (which clears `invitationIssuedAt`) makes it useless. Links expire after
 * INVITATION_TTL_HOURS.
 */
@Injectable()
export class Invitations {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An invited user (no password yet) holding `role` at the party; its e-mail must be free. */
  async inviteAdmin(tx: EntityManager, admin: NewAdmin, now = new Date()): Promise<User> {
    const user = tx.create(User, {
      email: admin.email.trim().toLowerCase(),
      displayName: admin.displayName,
      party: admin.party,
      roles: [admin.role],
      status: 'invited',
      passwordHash: null,
      invitationIssuedAt: now,
      invitationExpiresAt: new Date(now.getTime() + this.config.onboarding.invitationTtlHours * 3_600_000),
    });
    try {
      await tx.flush();
    } catch (error) {
      const rule = violatedRule(error, USER_UNIQUE_INDEXES);
      if (rule) throw DomainError.conflict(PartyErrorCode.UserDuplicate, `${rule.field} ${rule.problem}`, [rule]);
      throw error;
    }
    return user;
  }

  /** The link the welcome e-mail carries (the portal's invitation page), for an invitation still open. */
  link(user: User): { url: string; expiresAt: Date } {
    if (!user.invitationIssuedAt || !user.invitationExpiresAt) throw DomainError.conflict(InvitationErrorCode.Used, `user ${user.id} has no open invitation`);
    const mac = signedToken(this.config.jwt.secret, PURPOSE, subject(user.id, user.invitationIssuedAt));
    return { url: `${this.config.portalUrl}/invitations/${user.id}.${mac}`, expiresAt: user.invitationExpiresAt };
  }

  /** The invited user a link names, when the link is genuine, unused and not expired. */
  async check(token: string): Promise<User> {
    const [userId, mac] = token.split('.');
    const user = /^[0-9a-f-]{36}$/.test(userId ?? '') ? await this.em.fork().findOne(User, { id: userId }, { populate: ['party'] }) : null;
    if (!user || !mac) throw DomainError.notFound(InvitationErrorCode.NotFound, 'this invitation link is not valid');
    if (user.status !== 'invited' || !user.invitationIssuedAt)
      throw DomainError.conflict(InvitationErrorCode.Used, 'this invitation was already used: sign in with your password');
    if (!signedTokenMatches(this.config.jwt.secret, PURPOSE, subject(user.id, user.invitationIssuedAt), mac))
      throw DomainError.notFound(InvitationErrorCode.NotFound, 'this invitation link is not valid');
    if (user.invitationExpiresAt && user.invitationExpiresAt.getTime() < Date.now())
      throw DomainError.conflict(InvitationErrorCode.Expired, 'this invitation has expired: ask the operator for a new one');
    return user;
  }

  /** Sets the password and closes the invitation in one conditional update, so the link works once even when used twice at once. */
  async accept(token: string, password: string): Promise<User> {
    const user = await this.check(token);
    const passwordHash = await hashPassword(password);
    const accepted = await this.em
      .fork()
      .nativeUpdate(
        User,
        { id: user.id, status: 'invited', invitationIssuedAt: user.invitationIssuedAt },
        { passwordHash, status: 'active', invitationIssuedAt: null, invitationExpiresAt: null },
      );
    if (accepted !== 1) throw DomainError.conflict(InvitationErrorCode.Used, 'this invitation was already used: sign in with your password');
    return user;
  }
}

function subject(userId: string, issuedAt: Date): string {
  return `${userId}:${issuedAt.toISOString()}`;
}
