/**
 * Codes of the host registry and placement (HOST_*) and of the hypervisor drivers (HYPERVISOR_*),
 * stable for the API's exception filter and for activities, which see them as the failure type.
 */
export const HostErrorCode = {
  /** No host has this id (or the caller may not see hosts). */
  NotFound: 'HOST_NOT_FOUND',
  /** Another host already has this name. */
  NameTaken: 'HOST_NAME_TAKEN',
  /** Fields that do not fit the host's kind (a vSphere host without an SDK URL, a libvirt host with one). */
  InvalidConnection: 'HOST_INVALID_CONNECTION',
  /** Capacity that is not a whole number ≥ 0, or a reservation of nothing. */
  InvalidCapacity: 'HOST_INVALID_CAPACITY',
  /** Capacity lowered below what is already reserved on the host. */
  CapacityBelowReserved: 'HOST_CAPACITY_BELOW_RESERVED',
  /** No active host with the required tags has room for the request; the message names what ran out. */
  CapacityExhausted: 'HOST_CAPACITY_EXHAUSTED',
  /** A reservation key that is empty, too long or has spaces or control characters. */
  InvalidReservationKey: 'HOST_INVALID_RESERVATION_KEY',
  /** A tag that is not lower-case letters, digits and ":._-". */
  InvalidTag: 'HOST_INVALID_TAG',
  /** A reservation key that was never used. */
  ReservationNotFound: 'HOST_RESERVATION_NOT_FOUND',
  /** A released reservation cannot be committed or resized. */
  ReservationReleased: 'HOST_RESERVATION_RELEASED',
  /** The stored credentials cannot be decrypted with the configured SECRETS_KEY. */
  SecretUnreadable: 'HOST_SECRET_UNREADABLE',
} as const;
export type HostErrorCode = (typeof HostErrorCode)[keyof typeof HostErrorCode];

export const HypervisorErrorCode = {
  /** The VM, network, template, datacenter, … does not exist on the hypervisor. */
  NotFound: 'HYPERVISOR_NOT_FOUND',
  /** Something of that name exists already and is not what was asked for. */
  AlreadyExists: 'HYPERVISOR_ALREADY_EXISTS',
  /** The hypervisor lacks CPU, memory or disk space for the request. */
  InsufficientResources: 'HYPERVISOR_INSUFFICIENT_RESOURCES',
  /** The object is in the wrong state for the operation (resizing a running VM, a busy task). */
  InvalidState: 'HYPERVISOR_INVALID_STATE',
  /** The hypervisor refused the credentials. */
  AuthFailed: 'HYPERVISOR_AUTH_FAILED',
  /** The hypervisor could not be reached (network, TLS, daemon down). Retryable. */
  Unreachable: 'HYPERVISOR_UNREACHABLE',
  /** A call or task did not finish in time. Retryable. */
  Timeout: 'HYPERVISOR_TIMEOUT',
  /** A name or specification the driver refuses before calling the hypervisor. */
  InvalidRequest: 'HYPERVISOR_INVALID_REQUEST',
  /** The hypervisor (or its test driver) does not support the operation. */
  Unsupported: 'HYPERVISOR_UNSUPPORTED',
  /** Any other fault the hypervisor reported; the message carries its text. */
  Fault: 'HYPERVISOR_FAULT',
} as const;
export type HypervisorErrorCode = (typeof HypervisorErrorCode)[keyof typeof HypervisorErrorCode];
