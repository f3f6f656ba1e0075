import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { brandingOwner, pathIds } from '@wholesail/domain';
import { Party } from '@wholesail/persistence';
import type { PortalBrandingView } from './dto/branding.dto';

const OPERATOR_LOOK: PortalBrandingView = { ownerId: null, name: null, logoUrl: null, primaryColor: null, accentColor: null };

@Injectable()
export class BrandingService {
  constructor(private readonly em: EntityManager) {}

  /** Reads the caller's chain (its path) once and picks the owner with the domain rule. */
  async forPrincipal(principal: Principal): Promise<PortalBrandingView> {
    if (principal.partyKind !== 'reseller' && principal.partyKind !== 'client') return OPERATOR_LOOK;
    const ids = pathIds(principal.partyPath);
    const chain = await this.em.find(Party, { id: { $in: ids } }, { fields: ['id', 'kind', 'name', 'branding'] });
    const byId = new Map(chain.map((party) => [party.id, party]));
    const ownerId = brandingOwner(ids.flatMap((id) => (byId.has(id) ? [{ id, kind: byId.get(id)!.kind }] : [])));
    const owner = ownerId ? byId.get(ownerId) : undefined;
    if (!owner) return OPERATOR_LOOK;
    return {
      ownerId: owner.id,
      name: owner.name,
      logoUrl: owner.branding?.logoUrl ?? null,
      primaryColor: owner.branding?.primaryColor ?? null,
      accentColor: owner.branding?.accentColor ?? null,
    };
  }
}
