import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';
import { DesignVersion } from './design-version.entity';

/**
 * A link that shows one version's network map, and nothing else, to whoever holds it. The token is
 * `<id>.<HMAC(id, expiresAt)>` (nothing secret stored); it stops working at `expiresAt` or once revoked.
 */
@Entity({ tableName: 'design_share_link' })
@Index({ properties: ['version'] })
export class DesignShareLink extends BaseEntity {
  @ManyToOne(() => DesignVersion, { deleteRule: 'restrict' })
  version!: Rel<DesignVersion>;

  @Property({ type: 'string', length: 100 })
  createdBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'string', length: 100, nullable: true })
  revokedBy?: string | null;
}
