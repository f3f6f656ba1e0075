import { CheckConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@wholesail/auth';
import { assertValidCapacity, type Capacity, DomainError, HostErrorCode, HypervisorError, HypervisorErrorCode, isDomainError } from '@wholesail/domain';
import { Host, type HostCheckResult, type HostKind, type HostStatus } from '@wholesail/persistence';
import { randomUUID } from 'node:crypto';
import { createDriver } from '../driver-factory';
import { DEFAULT_LIBVIRT_BRIDGE, hostConnection, passwordContext } from './host-connection';
import { assertTags } from './host-tags';
import { freeOf } from './placement.service';

export const HOST_SECRETS = Symbol('HOST_SECRETS');

/** How to reach a host: the vSphere fields or the libvirt ones, never both. */
export interface HostConnectionInput {
  sdkUrl?: string;
  username?: string;
  password?: string;
  datacenter?: string;
  cluster?: string;
  datastore?: string;
  network?: string;
  insecureTls?: boolean;
  caCertificate?: string | null;
  uri?: string;
}

export interface NewHost extends HostConnectionInput {
  name: string;
  kind: HostKind;
  capacity: Capacity;
  tags?: string[];
  status?: HostStatus;
}

export interface HostChanges extends HostConnectionInput {
  name?: string;
  status?: HostStatus;
  capacity?: Partial<Capacity>;
  tags?: string[];
}

export interface HostView {
  id: string;
  name: string;
  kind: HostKind;
  status: HostStatus;
  /** vSphere: sdkUrl, username, datacenter, cluster, datastore, network, insecureTls, hasCaCertificate. libvirt: uri, network (bridge). Never the password. */
  connection: Record<string, string | boolean | null>;
  capacity: Capacity;
  reserved: Capacity;
  free: Capacity;
  tags: string[];
  lastCheck: HostCheckResult | null;
  createdAt: string;
  updatedAt: string;
}

const VSPHERE_FIELDS = ['sdkUrl', 'username', 'password', 'datacenter', 'cluster', 'datastore', 'insecureTls', 'caCertificate'] as const;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const CHECK_TIMEOUT_MS = 30_000;

/**
 * The registry of hypervisor hosts: the one writer of host records. Validates what fits each kind,
 * seals passwords with SECRETS_KEY (AES-256-GCM, bound to the host id), answers views without
 * secrets, and checks a host by connecting with its driver.
 */
@Injectable()
export class HostRegistryService {
  constructor(
    private readonly em: EntityManager,
    @Inject(HOST_SECRETS) private readonly secrets: SecretBox,
  ) {}

  async create(input: NewHost): Promise<HostView> {
    assertName(input.name);
    if (input.kind !== 'vsphere' && input.kind !== 'libvirt') throw DomainError.invalid(HostErrorCode.InvalidConnection, 'kind', 'must be vsphere or libvirt');
    if (typeof input.capacity !== 'object' || input.capacity === null) throw DomainError.invalid(HostErrorCode.InvalidCapacity, 'capacity', 'is required');
    assertValidCapacity(input.capacity, 'capacity');
    const tags = assertTags(input.tags ?? [], 'tags');
    assertConnection(input.kind, input, true);
    const id = randomUUID();
    const em = this.em.fork();
    const host = em.create(Host, {
      id,
      name: input.name,
      kind: input.kind,
      status: input.status ?? 'active',
      capacityVcpu: input.capacity.vcpu,
      capacityRamGb: input.capacity.ramGb,
      capacityStorageGb: input.capacity.storageGb,
      tags,
      ...(input.kind === 'vsphere'
        ? {
            sdkUrl: input.sdkUrl,
            username: input.username,
            passwordSealed: this.secrets.seal(input.password as string, passwordContext(id)),
            datacenter: input.datacenter,
            cluster: input.cluster,
            datastore: input.datastore,
            network: input.network,
            insecureTls: input.insecureTls ?? false,
            caCertificate: input.caCertificate ?? null,
          }
        : { uri: input.uri, network: input.network ?? DEFAULT_LIBVIRT_BRIDGE }),
    });
    try {
      await em.flush();
    } catch (error) {
      throw translate(error);
    }
    return toView(host);
  }

  async list(filter: { kind?: HostKind; status?: HostStatus; tag?: string; limit: number; offset: number }): Promise<[HostView[], number]> {
    const where = {
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.tag ? { tags: { $contains: [filter.tag] } } : {}),
    };
    const [hosts, total] = await this.em.fork().findAndCount(Host, where, { orderBy: { name: 'asc' }, limit: filter.limit, offset: filter.offset });
    return [hosts.map(toView), total];
  }

  async get(id: string): Promise<HostView> {
    return toView(await this.require(this.em.fork(), id));
  }

  /**
   * Changes capacity, tags, status, name or connection details. Lowering capacity below what is
   * reserved is refused (HOST_CAPACITY_BELOW_RESERVED): the row is locked, so no reservation can
   * slip in between the comparison and the update, and a CHECK constraint backs it.
   */
  async update(id: string, changes: HostChanges): Promise<HostView> {
    if (changes.name !== undefined) assertName(changes.name);
    const tags = changes.tags === undefined ? undefined : assertTags(changes.tags, 'tags');
    const em = this.em.fork();
    try {
      const host = await em.transactional(async (tx) => {
        const host = await this.require(tx, id, LockMode.PESSIMISTIC_WRITE);
        assertConnection(host.kind, changes, false);
        const capacity: Capacity = {
          vcpu: changes.capacity?.vcpu ?? host.capacityVcpu,
          ramGb: changes.capacity?.ramGb ?? host.capacityRamGb,
          storageGb: changes.capacity?.storageGb ?? host.capacityStorageGb,
        };
        assertValidCapacity(capacity, 'capacity');
        const below = (
          [
            ['vcpu', capacity.vcpu, host.reservedVcpu],
            ['ramGb', capacity.ramGb, host.reservedRamGb],
            ['storageGb', capacity.storageGb, host.reservedStorageGb],
          ] as const
        ).filter(([, wanted, reserved]) => wanted < reserved);
        if (below.length) {
          throw DomainError.conflict(
            HostErrorCode.CapacityBelowReserved,
            `host ${host.name} has more reserved than that: ${below.map(([dimension, , reserved]) => `${reserved} ${dimension}`).join(', ')}`,
            below.map(([dimension, , reserved]) => ({ field: `capacity.${dimension}`, problem: `must be at least ${reserved}, the amount reserved` })),
          );
        }
        host.capacityVcpu = capacity.vcpu;
        host.capacityRamGb = capacity.ramGb;
        host.capacityStorageGb = capacity.storageGb;
        if (changes.name !== undefined) host.name = changes.name;
        if (changes.status !== undefined) host.status = changes.status;
        if (tags !== undefined) host.tags = tags;
        if (host.kind === 'vsphere') {
          if (changes.sdkUrl !== undefined) host.sdkUrl = changes.sdkUrl;
          if (changes.username !== undefined) host.username = changes.username;
          if (changes.password !== undefined) host.passwordSealed = this.secrets.seal(changes.password, passwordContext(host.id));
          if (changes.datacenter !== undefined) host.datacenter = changes.datacenter;
          if (changes.cluster !== undefined) host.cluster = changes.cluster;
          if (changes.datastore !== undefined) host.datastore = changes.datastore;
          if (changes.insecureTls !== undefined) host.insecureTls = changes.insecureTls;
          if (changes.caCertificate !== undefined) host.caCertificate = changes.caCertificate;
        } else if (changes.uri !== undefined) {
          host.uri = changes.uri;
        }
        if (changes.network !== undefined) host.network = changes.network;
        return host;
      });
      return toView(host);
    } catch (error) {
      throw translate(error);
    }
  }

  /** Connects with the host's driver and reports; a failure is a result (ok: false), not an error. Kept as lastCheck. */
  async check(id: string): Promise<HostCheckResult> {
    const em = this.em.fork();
    const host = await this.require(em, id);
    const at = new Date().toISOString();
    let result: HostCheckResult;
    try {
      const driver = createDriver(hostConnection(await this.withSecret(em, host), this.secrets));
      try {
        const report = await withTimeout(driver.check(), CHECK_TIMEOUT_MS, `checking ${host.name} took longer than ${CHECK_TIMEOUT_MS / 1000} s`);
        result = { ok: true, at, ...report };
      } finally {
        await driver.close().catch(() => undefined);
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
      result = { ok: false, at, error: { code: error.code, message: error.message } };
    }
    await em.nativeUpdate(Host, { id }, { lastCheck: result });
    return result;
  }

  /** The record with its sealed password loaded (it is lazy: ordinary reads never fetch it). */
  async withSecret(em: EntityManager, host: Host): Promise<Host> {
    if (host.kind !== 'vsphere') return host;
    await em.populate(host, ['passwordSealed']);
    return host;
  }

  private async require(em: EntityManager, id: string, lockMode?: LockMode): Promise<Host> {
    const host = UUID.test(id) ? await em.findOne(Host, { id }, lockMode ? { lockMode } : {}) : null;
    if (!host) throw DomainError.notFound(HostErrorCode.NotFound, `no host has the id ${id}`);
    return host;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toView(host: Host): HostView {
  const capacity = { vcpu: host.capacityVcpu, ramGb: host.capacityRamGb, storageGb: host.capacityStorageGb };
  const reserved = { vcpu: host.reservedVcpu, ramGb: host.reservedRamGb, storageGb: host.reservedStorageGb };
  return {
    id: host.id,
    name: host.name,
    kind: host.kind,
    status: host.status,
    connection:
      host.kind === 'vsphere'
        ? {
            sdkUrl: host.sdkUrl ?? null,
            username: host.username ?? null,
            datacenter: host.datacenter ?? null,
            cluster: host.cluster ?? null,
            datastore: host.datastore ?? null,
            network: host.network ?? null,
            insecureTls: host.insecureTls,
            hasCaCertificate: !!host.caCertificate,
          }
        : { uri: host.uri ?? null, network: host.network ?? null },
    capacity,
    reserved,
    free: freeOf(host),
    tags: host.tags,
    lastCheck: host.lastCheck ?? null,
    createdAt: host.createdAt.toISOString(),
    updatedAt: host.updatedAt.toISOString(),
  };
}

function assertName(name: string): void {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw DomainError.invalid(
      HostErrorCode.InvalidConnection,
      'name',
      'must be 1–100 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit',
    );
  }
}

/**
 * The fields of the host's kind, well-formed; the other kind's fields absent. On create the kind's
 * required fields must all be there; on update only what is sent is checked.
 */
function assertConnection(kind: HostKind, input: HostConnectionInput, creating: boolean): void {
  const invalid = (field: string, problem: string) => DomainError.invalid(HostErrorCode.InvalidConnection, field, problem);
  const text = (field: keyof HostConnectionInput, max: number, required: boolean) => {
    const value = input[field];
    if (value === undefined) {
      if (required && creating) throw invalid(field, `is required for a ${kind} host`);
      return;
    }
    if (typeof value !== 'string' || value.length < 1 || value.length > max || CONTROL.test(value))
      throw invalid(field, `must be 1–${max} printable characters`);
  };
  if (kind === 'vsphere') {
    if (input.uri !== undefined) throw invalid('uri', 'is for libvirt hosts; a vSphere host has an sdkUrl');
    text('sdkUrl', 500, true);
    if (input.sdkUrl !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(input.sdkUrl);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
        throw invalid('sdkUrl', 'must be an http(s) URL without credentials, e.g. https://vcenter.example.com/sdk');
      }
    }
    text('username', 200, true);
    text('password', 500, true);
    for (const field of ['datacenter', 'cluster', 'datastore', 'network'] as const) text(field, 200, true);
    if (input.caCertificate !== undefined && input.caCertificate !== null && !/-----BEGIN CERTIFICATE-----/.test(input.caCertificate)) {
      throw invalid('caCertificate', 'must be a PEM certificate');
    }
  } else {
    for (const field of VSPHERE_FIELDS) if (input[field] !== undefined) throw invalid(field, 'is for vSphere hosts; a libvirt host has a uri');
    text('uri', 500, true);
    if (input.uri !== undefined && !/^[a-z][a-z0-9+.-]*:\/\/[^\s]*$/.test(input.uri))
      throw invalid('uri', 'must be a libvirt connection URI such as qemu:///system');
    if (input.network !== undefined && !/^[A-Za-z0-9_.-]{1,15}$/.test(input.network))
      throw invalid('network', 'must be a Linux bridge name (1–15 letters, digits, "_", "." or "-")');
  }
}

function translate(error: unknown): unknown {
  if (error instanceof UniqueConstraintViolationException) {
    return DomainError.conflict(HostErrorCode.NameTaken, 'another host already has this name', [{ field: 'name', problem: 'is already used by another host' }]);
  }
  if (error instanceof CheckConstraintViolationException && /host_reserved_within_capacity/.test(error.message)) {
    return DomainError.conflict(HostErrorCode.CapacityBelowReserved, 'the capacity would be below what is reserved on the host');
  }
  return error;
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HypervisorError(HypervisorErrorCode.Timeout, message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
