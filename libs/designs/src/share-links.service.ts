import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { signedToken, signedTokenMatches } from '@wholesail/auth';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import { DesignErrorCode, DomainError } from '@wholesail/domain';
import { DesignShareLink, DesignVersion } from '@wholesail/persistence';

const PURPOSE = 'design-share';
/** How long a share link lives unless its creator says otherwise, and at most. */
export const SHARE_LINK_DEFAULT_HOURS = 24 * 14;
export const SHARE_LINK_MAX_HOURS = 24 * 90;

/**
 * Links that show one version's network map, and nothing else, to whoever holds them. A token is
 * `<linkId>.<HMAC(linkId, expiresAt)>` under the server's secret: unguessable, checkable without a
 * stored secret, and useless once the link expires or is revoked (both read from its row).
 */
@Injectable()
export class ShareLinks {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(version: DesignVersion, createdBy: string, hours = SHARE_LINK_DEFAULT_HOURS, now = new Date()): Promise<DesignShareLink> {
    const em = this.em.fork();
    const link = em.create(DesignShareLink, {
      version: em.getReference(DesignVersion, version.id),
      createdBy,
      expiresAt: new Date(now.getTime() + hours * 3_600_000),
    });
    await em.flush();
    return link;
  }

  token(link: DesignShareLink): string {
    return `${link.id}.${signedToken(this.config.jwt.secret, PURPOSE, subject(link))}`;
  }

  url(link: DesignShareLink): string {
    return `${this.config.publicUrl}/shared/designs/${this.token(link)}`;
  }

  /** The version a token shows, when the token is genuine, not expired and not revoked; otherwise not found, whatever the reason. */
  async resolve(token: string, now = new Date()): Promise<DesignVersion> {
    const [id, mac] = token.split('.');
    const notFound = DomainError.notFound(DesignErrorCode.ShareLinkNotFound, 'this link is not valid: it may have expired or been revoked');
    if (!/^[0-9a-f-]{36}$/.test(id ?? '') || !mac) throw notFound;
    const link = await this.em.fork().findOne(DesignShareLink, { id }, { populate: ['version', 'version.solution'] });
    if (!link || !signedTokenMatches(this.config.jwt.secret, PURPOSE, subject(link), mac)) throw notFound;
    if (link.revokedAt || link.expiresAt.getTime() <= now.getTime()) throw notFound;
    return link.version;
  }

  async list(versionId: string): Promise<DesignShareLink[]> {
    return this.em.fork().find(DesignShareLink, { version: versionId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  /** Revokes a link of the version (again: nothing changes). */
  async revoke(versionId: string, linkId: string, by: string, now = new Date()): Promise<DesignShareLink> {
    const em = this.em.fork();
    const link = await em.findOne(DesignShareLink, { id: linkId, version: versionId });
    if (!link) throw DomainError.notFound(DesignErrorCode.ShareLinkNotFound, `share link ${linkId} does not exist`);
    if (!link.revokedAt) {
      link.revokedAt = now;
      link.revokedBy = by;
      await em.flush();
    }
    return link;
  }
}

function subject(link: DesignShareLink): string {
  return `${link.id}:${link.expiresAt.toISOString()}`;
}
