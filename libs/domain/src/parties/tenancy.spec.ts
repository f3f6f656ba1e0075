import { Caller, canManage, canSee, childPath, TenantNode } from './tenancy';
import { assertParentKind, assertTransition, canTransition } from './party';

const op: TenantNode = { id: 'op', kind: 'operator', path: childPath(null, 'op') };
const dist = { id: 'd1', kind: 'distributor', path: childPath(op.path, 'd1') } as TenantNode;
const agent = { id: 'a1', kind: 'agent', path: childPath(dist.path, 'a1') } as TenantNode;
const resA = { id: 'rA', kind: 'reseller', path: childPath(dist.path, 'rA') } as TenantNode;
const resB = { id: 'rB', kind: 'reseller', path: childPath(dist.path, 'rB') } as TenantNode;
const sub = { id: 'rA1', kind: 'reseller', path: childPath(resA.path, 'rA1') } as TenantNode;
const clientFound = { id: 'c1', kind: 'client', path: childPath(sub.path, 'c1'), foundById: 'a1' } as TenantNode;
const clientOther = { id: 'c2', kind: 'client', path: childPath(resB.path, 'c2'), foundById: null } as TenantNode;
const as = (n: TenantNode): Caller => ({ partyId: n.id, partyKind: n.kind, partyPath: n.path });

describe('tenancy', () => {
  it('lets a party see itself and everything below, never a sibling', () => {
    expect(canSee(as(op), clientOther)).toBe(true);
    expect(canSee(as(resA), sub)).toBe(true);
    expect(canSee(as(resA), clientFound)).toBe(true);
    expect(canSee(as(resA), resB)).toBe(false);
    expect(canSee(as(resA), clientOther)).toBe(false);
    expect(canSee(as(sub), resA)).toBe(false);
  });

  it('lets an agent see only the clients it found', () => {
    expect(canSee(as(agent), clientFound)).toBe(true);
    expect(canSee(as(agent), clientOther)).toBe(false);
    expect(canSee(as(agent), resA)).toBe(false);
    expect(canSee(as(agent), agent)).toBe(true);
  });

  it('does not treat a path prefix of another id as ancestry', () => {
    const r1 = { id: 'r1', kind: 'reseller', path: '/op/r1/' } as TenantNode;
    const r10 = { id: 'r10', kind: 'reseller', path: '/op/r10/' } as TenantNode;
    expect(canSee(as(r1), r10)).toBe(false);
  });

  it('allows managing strictly-below parties only', () => {
    expect(canManage(as(resA), sub)).toBe(true);
    expect(canManage(as(resA), resA)).toBe(false);
    expect(canManage(as(agent), clientFound)).toBe(false);
  });
});

describe('party rules', () => {
  it('checks parent kinds', () => {
    expect(() => assertParentKind('client', 'reseller')).not.toThrow();
    expect(() => assertParentKind('client', 'distributor')).toThrow(/client cannot belong to a distributor/);
    expect(() => assertParentKind('operator', 'reseller')).toThrow(/must be empty/);
    expect(() => assertParentKind('agent', undefined)).toThrow(/required/);
  });

  it('checks status transitions', () => {
    expect(canTransition('active', 'suspended')).toBe(true);
    expect(canTransition('active', 'active')).toBe(true);
    expect(canTransition('closed', 'active')).toBe(false);
    expect(() => assertTransition('closed', 'active')).toThrow(/closed to active/);
  });
});
