import { HypervisorError, HypervisorErrorCode } from '@wholesail/domain';
import type { XmlElement } from '../xml/xml';

/**
 * vim25 faults (MethodFault subtypes, named by the detail's xsi:type or element name) mapped to the
 * drivers' codes. The hierarchy is deep; families are matched by name where vSphere is consistent
 * (every Insufficient*Fault is a lack of resources).
 */
const BY_FAULT: Record<string, HypervisorErrorCode> = {
  InvalidLogin: HypervisorErrorCode.AuthFailed,
  NotAuthenticated: HypervisorErrorCode.AuthFailed,
  NoPermission: HypervisorErrorCode.AuthFailed,
  NoClientCertificate: HypervisorErrorCode.AuthFailed,
  ManagedObjectNotFound: HypervisorErrorCode.NotFound,
  NotFound: HypervisorErrorCode.NotFound,
  FileNotFound: HypervisorErrorCode.NotFound,
  InvalidDatastorePath: HypervisorErrorCode.NotFound,
  DuplicateName: HypervisorErrorCode.AlreadyExists,
  AlreadyExists: HypervisorErrorCode.AlreadyExists,
  FileAlreadyExists: HypervisorErrorCode.AlreadyExists,
  NoDiskSpace: HypervisorErrorCode.InsufficientResources,
  OutOfBounds: HypervisorErrorCode.InsufficientResources,
  InvalidPowerState: HypervisorErrorCode.InvalidState,
  InvalidState: HypervisorErrorCode.InvalidState,
  InvalidHostState: HypervisorErrorCode.InvalidState,
  TaskInProgress: HypervisorErrorCode.InvalidState,
  ConcurrentAccess: HypervisorErrorCode.InvalidState,
  ResourceInUse: HypervisorErrorCode.InvalidState,
  InvalidArgument: HypervisorErrorCode.InvalidRequest,
  InvalidRequest: HypervisorErrorCode.InvalidRequest,
  InvalidType: HypervisorErrorCode.InvalidRequest,
  InvalidName: HypervisorErrorCode.InvalidRequest,
  InvalidDeviceSpec: HypervisorErrorCode.InvalidRequest,
  NotSupported: HypervisorErrorCode.Unsupported,
  NotImplemented: HypervisorErrorCode.Unsupported,
  HostCommunication: HypervisorErrorCode.Unreachable,
  HostNotConnected: HypervisorErrorCode.Unreachable,
  HostNotReachable: HypervisorErrorCode.Unreachable,
  RequestCanceled: HypervisorErrorCode.Timeout,
  Timedout: HypervisorErrorCode.Timeout,
};

export function faultCode(faultName: string): HypervisorErrorCode {
  const name = faultName.replace(/Fault$/, '');
  if (BY_FAULT[name]) return BY_FAULT[name];
  if (name.startsWith('Insufficient')) return HypervisorErrorCode.InsufficientResources;
  if (name.startsWith('Invalid')) return HypervisorErrorCode.InvalidRequest;
  return HypervisorErrorCode.Fault;
}

/**
 * A fault element: the detail of a SOAP Fault (`<InvalidLoginFault xsi:type="InvalidLogin">`) or
 * a task's `info.error.fault` (`<fault xsi:type="DuplicateName">`). The xsi:type names the exact
 * fault; a detail element without one is named `<Fault>Fault`.
 */
export function faultName(element: XmlElement | undefined): string {
  if (!element) return 'MethodFault';
  return element.xsiType ?? element.local.replace(/Fault$/, '');
}

export function vimError(fault: string, message: string, context: string): HypervisorError {
  const text = message.trim() || fault;
  return new HypervisorError(faultCode(fault), `${context}: ${text} (vSphere fault ${fault})`, fault);
}
