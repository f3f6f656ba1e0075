import { assertMayCreate, assertMayCreateKind, assertPartyInput, partyInputProblems } from './creation-rules';
import { childPath, type Caller, type TenantNode } from './tenancy';
import type { PartyKind } from './party';

const node = (id: string, kind: PartyKind, parent: TenantNode | null): TenantNode => ({ id, kind, path: childPath(parent?.path ?? null, id) });
const op = node('op', 'operator', null);
const d1 = node('d1', 'distributor', op);
const d2 = node('d2', 'distributor', op);
const r1 = node('r1', 'reseller', d1);
const r1s = node('r1s', 'reseller', r1);
const r2 = node('r2', 'reseller', d2);
const as = (n: TenantNode): Caller => ({ partyId: n.id, partyKind: n.kind, partyPath: n.path });

describe('who may create which party where', () => {
  it('lets the operator create any partner anywhere below it', () => {
    for (const [kind, parent] of [
      ['distributor', op],
      ['agent', d1],
      ['reseller', op],
      ['reseller', d2],
      ['reseller', r1s],
      ['client', r1s],
    ] as const) {
      expect(() => assertMayCreate(as(op), kind, parent)).not.toThrow();
    }
    expect(() => assertMayCreateKind(as(op), 'operator')).toThrow(/operator may create only/);
  });

  it('lets a distributor create agents and resellers directly under itself only', () => {
    expect(() => assertMayCreate(as(d1), 'agent', d1)).not.toThrow();
    expect(() => assertMayCreate(as(d1), 'reseller', d1)).not.toThrow();
    expect(() => assertMayCreate(as(d1), 'reseller', r1)).toThrow(/directly under your own party/);
    expect(() => assertMayCreateKind(as(d1), 'client')).toThrow(expect.objectContaining({ code: 'PARTY_CREATE_FORBIDDEN', kind: 'forbidden' }));
    expect(() => assertMayCreateKind(as(d1), 'distributor')).toThrow(/may create only: agent, reseller/);
  });

  it('lets a reseller create clients in its subtree and sub-resellers directly under itself', () => {
    expect(() => assertMayCreate(as(r1), 'client', r1)).not.toThrow();
    expect(() => assertMayCreate(as(r1), 'client', r1s)).not.toThrow();
    expect(() => assertMayCreate(as(r1), 'reseller', r1)).not.toThrow();
    expect(() => assertMayCreate(as(r1), 'reseller', r1s)).toThrow(/directly under your own party/);
    expect(() => assertMayCreate(as(r1s), 'client', r1)).toThrow(/under your reseller or one of its sub-resellers/);
    expect(() => assertMayCreate(as(r1), 'client', r2)).toThrow(/forbidden|only/);
    expect(() => assertMayCreateKind(as(r1), 'agent')).toThrow(/may create only: client, reseller/);
  });

  it('lets agents and clients create nothing', () => {
    expect(() => assertMayCreateKind({ partyKind: 'agent' }, 'client')).toThrow(/may not create parties/);
    expect(() => assertMayCreateKind({ partyKind: 'client' }, 'client')).toThrow(/may not create parties/);
  });
});

describe('a party’s own fields', () => {
  it('reports every misfit at once, naming the field', () => {
    expect(partyInputProblems('client', { name: ' ', taxId: '12345', branding: { primaryColor: '#000' }, foundById: 'a1' })).toEqual([
      { field: 'name', problem: 'is required' },
      { field: 'branding', problem: 'only resellers have branding' },
      { field: 'taxId', problem: expect.stringContaining('well-formed tax ID') },
    ]);
    expect(partyInputProblems('reseller', { name: 'Acme', foundById: 'a1', branding: null, activeSince: '2025-12-01T00:00:00Z' })).toEqual([
      { field: 'foundById', problem: 'only a client can be credited to an agent' },
      { field: 'activeSince', problem: 'only a client has a customer-since date' },
    ]);
    expect(partyInputProblems('client', { name: 'Umbrella', activeSince: '2025-12-01T00:00:00Z' })).toEqual([]);
    expect(partyInputProblems('reseller', { name: 'x'.repeat(201), taxId: 'nl 8123.4567-8b01' })).toEqual([
      { field: 'name', problem: 'must be at most 200 characters' },
    ]);
    expect(() => assertPartyInput('client', { name: 'Umbrella', taxId: null, foundById: 'a1' })).not.toThrow();
    expect(() => assertPartyInput('agent', { branding: {} })).toThrow(expect.objectContaining({ code: 'PARTY_INVALID_INPUT', kind: 'invalid' }));
  });
});
