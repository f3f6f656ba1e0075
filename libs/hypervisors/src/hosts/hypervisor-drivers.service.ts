import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { SecretBox } from '@wholesail/auth';
import { DomainError, HostErrorCode } from '@wholesail/domain';
import { Host } from '@wholesail/persistence';
import { createDriver, type HostConnection } from '../driver-factory';
import type { HypervisorDriver } from '../hypervisor.driver';
import { hostConnection } from './host-connection';
import { HOST_SECRETS, HostRegistryService } from './host-registry.service';

/**
 * One open driver per host per process, reused across calls: a vSphere session is not logged in
 * again for every activity, and a libvirt `test:///default` host keeps its state (which lives as
 * long as the connection) for as long as this process runs. A host whose connection details or
 * password change gets a new driver; the old one is closed.
 */
@Injectable()
export class HypervisorDrivers implements OnModuleDestroy {
  private readonly drivers = new Map<string, { fingerprint: string; driver: HypervisorDriver }>();

  constructor(
    private readonly em: EntityManager,
    private readonly registry: HostRegistryService,
    @Inject(HOST_SECRETS) private readonly secrets: SecretBox,
  ) {}

  async forHost(hostId: string): Promise<HypervisorDriver> {
    const em = this.em.fork();
    const host = await em.findOne(Host, { id: hostId });
    if (!host) throw DomainError.notFound(HostErrorCode.NotFound, `no host has the id ${hostId}`);
    const connection = hostConnection(await this.registry.withSecret(em, host), this.secrets);
    const fingerprint = fingerprintOf(connection, host.passwordSealed);
    const cached = this.drivers.get(hostId);
    if (cached?.fingerprint === fingerprint) return cached.driver;
    if (cached) await cached.driver.close().catch(() => undefined);
    const driver = createDriver(connection);
    this.drivers.set(hostId, { fingerprint, driver });
    return driver;
  }

  async onModuleDestroy(): Promise<void> {
    const drivers = [...this.drivers.values()];
    this.drivers.clear();
    await Promise.all(drivers.map(({ driver }) => driver.close().catch(() => undefined)));
  }
}

/** Everything that identifies a connection, the password only as the sealed value (never in memory twice). */
function fingerprintOf(connection: HostConnection, sealedPassword: string | null | undefined): string {
  const { password: _password, ...shape } = connection as HostConnection & { password?: string };
  return JSON.stringify({ ...shape, sealed: sealedPassword ?? null });
}
