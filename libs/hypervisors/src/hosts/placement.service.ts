import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  assertValidCapacity,
  type Capacity,
  describeCapacity,
  DomainError,
  exhaustedMessage,
  HostErrorCode,
  placementOrder,
  type PlacementCandidate,
  shortfalls,
  describeShortfalls,
} from '@wholesail/domain';
import { CapacityReservation, Host, type ReservationState } from '@wholesail/persistence';
import { assertTags, pgTextArray } from './host-tags';

export interface ReservationRequest {
  /** Deterministic key of what the capacity is for, e.g. `provision:<environment>:<resource>`. */
  key: string;
  need: Capacity;
  /** Only hosts carrying every one of these tags. */
  tags?: string[];
  /** Only this host (a resize or a pinned placement). */
  hostId?: string;
}

export interface Reservation extends Capacity {
  key: string;
  hostId: string;
  hostName: string;
  state: ReservationState;
  createdAt: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,300}$/;

/**
 * Places resources on hosts and keeps the books of their capacity. A reservation is one row keyed
 * by the caller's deterministic key plus the host's reserved counters, changed in one transaction;
 * the counters only ever move through a conditional UPDATE (`reserved + need <= capacity`), which
 * PostgreSQL evaluates against the latest committed row under the row lock, so any number of
 * concurrent reservations can never over-commit a host, and a CHECK constraint backs that up.
 */
@Injectable()
export class PlacementService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Reserves `need` on the first host in placement order (placementOrder: most free RAM first)
   * that still has room when the UPDATE runs. The same key again returns the first reservation
   * (whatever its state). Nothing fits: HOST_CAPACITY_EXHAUSTED naming what ran out.
   */
  async reserve(request: ReservationRequest): Promise<Reservation & { created: boolean }> {
    assertKey(request.key);
    assertValidCapacity(request.need, 'need', { nonZero: true });
    const tags = assertTags(request.tags ?? [], 'tags');
    const existing = await this.find(request.key);
    if (existing) return { ...existing, created: false };

    const candidates = await this.candidates(request.hostId);
    for (const host of placementOrder(candidates, request.need, tags)) {
      try {
        const reserved = await this.em.fork().transactional(async (tx) => {
          const rows = await tx.execute<{ id: string }[]>(
            `update host set reserved_vcpu = reserved_vcpu + ?, reserved_ram_gb = reserved_ram_gb + ?, reserved_storage_gb = reserved_storage_gb + ?, updated_at = now()
             where id = ? and status = 'active' and tags @> ?::text[]
               and reserved_vcpu + ? <= capacity_vcpu and reserved_ram_gb + ? <= capacity_ram_gb and reserved_storage_gb + ? <= capacity_storage_gb
             returning id`,
            [...amounts(request.need), host.id, pgTextArray(tags), ...amounts(request.need)],
          );
          if (rows.length === 0) return false; // taken meanwhile: the next host may still fit
          await tx.execute(
            `insert into capacity_reservation (id, host_id, vcpu, ram_gb, storage_gb, state, created_at, updated_at) values (?, ?, ?, ?, ?, 'reserved', now(), now())`,
            [request.key, host.id, ...amounts(request.need)],
          );
          return true;
        });
        if (reserved) return { ...(await this.require(request.key)), created: true };
      } catch (error) {
        // The same key reserved concurrently: its transaction won; ours (and its counters) rolled back.
        if (error instanceof UniqueConstraintViolationException) return { ...(await this.require(request.key)), created: false };
        throw error;
      }
    }
    throw DomainError.conflict(HostErrorCode.CapacityExhausted, exhaustedMessage(await this.candidates(request.hostId), request.need, tags));
  }

  /** reserved → committed (the resource exists). Committing twice is fine; a released reservation is not. */
  async commit(key: string): Promise<Reservation> {
    assertKey(key);
    await this.em.fork().execute(`update capacity_reservation set state = 'committed', updated_at = now() where id = ? and state = 'reserved'`, [key]);
    const reservation = await this.require(key);
    if (reservation.state === 'released')
      throw DomainError.conflict(HostErrorCode.ReservationReleased, `reservation ${key} was released and cannot be committed`);
    return reservation;
  }

  /**
   * Gives the capacity back, once: a second release, or the release of a key that was never
   * reserved (a saga undoing a step that failed), changes nothing and returns what is there.
   */
  async release(key: string): Promise<Reservation | undefined> {
    assertKey(key);
    await this.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<{ host_id: string; vcpu: number; ram_gb: number; storage_gb: number }[]>(
        `update capacity_reservation set state = 'released', released_at = now(), updated_at = now() where id = ? and state <> 'released' returning host_id, vcpu, ram_gb, storage_gb`,
        [key],
      );
      for (const row of rows) {
        await tx.execute(
          `update host set reserved_vcpu = reserved_vcpu - ?, reserved_ram_gb = reserved_ram_gb - ?, reserved_storage_gb = reserved_storage_gb - ?, updated_at = now() where id = ?`,
          [row.vcpu, row.ram_gb, row.storage_gb, row.host_id],
        );
      }
    });
    return this.find(key);
  }

  /**
   * Changes a reservation's amounts on its host (a resize): growing needs room there,
   * shrinking always works. The reservation row is locked, so concurrent resizes serialise.
   */
  async resize(key: string, need: Capacity): Promise<Reservation> {
    assertKey(key);
    assertValidCapacity(need, 'need', { nonZero: true });
    await this.em.fork().transactional(async (tx) => {
      const [row] = await tx.execute<{ host_id: string; vcpu: number; ram_gb: number; storage_gb: number; state: ReservationState }[]>(
        `select host_id, vcpu, ram_gb, storage_gb, state from capacity_reservation where id = ? for update`,
        [key],
      );
      if (!row) throw DomainError.notFound(HostErrorCode.ReservationNotFound, `no reservation has the key ${key}`);
      if (row.state === 'released') throw DomainError.conflict(HostErrorCode.ReservationReleased, `reservation ${key} was released and cannot be resized`);
      const delta = [need.vcpu - row.vcpu, need.ramGb - row.ram_gb, need.storageGb - row.storage_gb];
      const updated = await tx.execute<{ id: string }[]>(
        `update host set reserved_vcpu = reserved_vcpu + ?, reserved_ram_gb = reserved_ram_gb + ?, reserved_storage_gb = reserved_storage_gb + ?, updated_at = now()
         where id = ? and reserved_vcpu + ? <= capacity_vcpu and reserved_ram_gb + ? <= capacity_ram_gb and reserved_storage_gb + ? <= capacity_storage_gb
         returning id`,
        [...delta, row.host_id, ...delta],
      );
      if (updated.length === 0) {
        const host = await tx.findOneOrFail(Host, { id: row.host_id });
        const free = freeOf(host);
        const growth = { vcpu: Math.max(0, delta[0]), ramGb: Math.max(0, delta[1]), storageGb: Math.max(0, delta[2]) };
        throw DomainError.conflict(
          HostErrorCode.CapacityExhausted,
          `host ${host.name} has no room to grow reservation ${key} by ${describeCapacity(growth)}: ${describeShortfalls(shortfalls(free, growth))}`,
        );
      }
      await tx.execute(`update capacity_reservation set vcpu = ?, ram_gb = ?, storage_gb = ?, updated_at = now() where id = ?`, [...amounts(need), key]);
    });
    return this.require(key);
  }

  async find(key: string): Promise<Reservation | undefined> {
    const row = await this.em.fork().findOne(CapacityReservation, { id: key }, { populate: ['host'] });
    return row ? toReservation(row) : undefined;
  }

  /** Reservations on a host that still hold capacity (reserved or committed), oldest first. */
  async holding(hostId: string): Promise<Reservation[]> {
    const rows = await this.em
      .fork()
      .find(CapacityReservation, { host: hostId, state: { $ne: 'released' } }, { populate: ['host'], orderBy: { createdAt: 'asc' } });
    return rows.map(toReservation);
  }

  private async require(key: string): Promise<Reservation> {
    const reservation = await this.find(key);
    if (!reservation) throw DomainError.notFound(HostErrorCode.ReservationNotFound, `no reservation has the key ${key}`);
    return reservation;
  }

  private async candidates(hostId?: string): Promise<(PlacementCandidate & { id: string })[]> {
    const hosts = await this.em.fork().find(Host, { status: 'active', ...(hostId ? { id: hostId } : {}) });
    return hosts.map((host) => ({ id: host.id, name: host.name, tags: host.tags, free: freeOf(host) }));
  }
}

export function freeOf(host: Host): Capacity {
  return {
    vcpu: host.capacityVcpu - host.reservedVcpu,
    ramGb: host.capacityRamGb - host.reservedRamGb,
    storageGb: host.capacityStorageGb - host.reservedStorageGb,
  };
}

function amounts(capacity: Capacity): [number, number, number] {
  return [capacity.vcpu, capacity.ramGb, capacity.storageGb];
}

function assertKey(key: string): void {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw DomainError.invalid(HostErrorCode.InvalidReservationKey, 'key', 'must be 1–300 printable characters without spaces');
  }
}

function toReservation(row: CapacityReservation): Reservation {
  return {
    key: row.id,
    hostId: row.host.id,
    hostName: row.host.name,
    vcpu: row.vcpu,
    ramGb: row.ramGb,
    storageGb: row.storageGb,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
  };
}
