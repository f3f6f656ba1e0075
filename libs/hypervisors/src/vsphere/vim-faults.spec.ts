import { parseXml } from '../xml/xml';
import { faultCode, faultName, vimError } from './vim-faults';

describe('vSphere faults', () => {
  it('maps faults and their families to the drivers’ codes', () => {
    expect(faultCode('InvalidLogin')).toBe('HYPERVISOR_AUTH_FAILED');
    expect(faultCode('NotAuthenticatedFault')).toBe('HYPERVISOR_AUTH_FAILED');
    expect(faultCode('ManagedObjectNotFound')).toBe('HYPERVISOR_NOT_FOUND');
    expect(faultCode('DuplicateName')).toBe('HYPERVISOR_ALREADY_EXISTS');
    expect(faultCode('InsufficientMemoryResourcesFault')).toBe('HYPERVISOR_INSUFFICIENT_RESOURCES');
    expect(faultCode('InsufficientHostCapacityFault')).toBe('HYPERVISOR_INSUFFICIENT_RESOURCES');
    expect(faultCode('InvalidPowerState')).toBe('HYPERVISOR_INVALID_STATE');
    expect(faultCode('InvalidDeviceBacking')).toBe('HYPERVISOR_INVALID_REQUEST');
    expect(faultCode('HostNotConnected')).toBe('HYPERVISOR_UNREACHABLE');
    expect(faultCode('SomethingNew')).toBe('HYPERVISOR_FAULT');
  });

  it('names a fault by its xsi:type, else by its element', () => {
    const detail = parseXml('<d xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><InvalidLoginFault xsi:type="InvalidLogin"/><NoPermissionFault/></d>');
    expect(faultName(detail.elements()[0])).toBe('InvalidLogin');
    expect(faultName(detail.elements()[1])).toBe('NoPermission');
  });

  it('keeps the fault and whether retrying helps', () => {
    const error = vimError('HostNotConnected', 'host is down', 'power on VM web-1');
    expect(error).toMatchObject({ code: 'HYPERVISOR_UNREACHABLE', fault: 'HostNotConnected', retryable: true });
    expect(error.message).toBe('power on VM web-1: host is down (vSphere fault HostNotConnected)');
    expect(vimError('DuplicateName', '', 'x')).toMatchObject({ retryable: false, kind: 'conflict' });
  });
});
