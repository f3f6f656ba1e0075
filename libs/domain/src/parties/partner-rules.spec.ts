import { assertAgentFitsClient, assertNoCycle, distributorIdOf, type TreeNode } from './partner-rules';
import { isWellFormedTaxId, normalizeTaxId } from './tax-id';
import type { PartyKind } from './party';

const node = (id: string, kind: PartyKind, parent: TreeNode | null): TreeNode => ({
  id,
  kind,
  parentId: parent?.id ?? null,
  path: `${parent?.path ?? '/'}${id}/`,
});
const op = node('op', 'operator', null);
const d1 = node('d1', 'distributor', op);
const d2 = node('d2', 'distributor', op);
const a1 = node('a1', 'agent', d1);
const a2 = node('a2', 'agent', d2);
const r1 = node('r1', 'reseller', d1);
const r1s = node('r1s', 'reseller', r1);
const direct = node('rd', 'reseller', op);
const kinds = new Map<string, PartyKind>([op, d1, d2, a1, a2, r1, r1s, direct].map((n) => [n.id, n.kind]));

describe('partner rules', () => {
  it('finds the distributor of a reseller chain', () => {
    expect(distributorIdOf(r1s, kinds)).toBe('d1');
    expect(distributorIdOf(direct, kinds)).toBeNull();
  });

  it('credits a client only to an agent of its top-level reseller’s distributor', () => {
    expect(() => assertAgentFitsClient(a1, r1s, kinds)).not.toThrow();
    expect(() => assertAgentFitsClient(a2, r1s, kinds)).toThrow(/distributor of the client’s top-level reseller/);
    expect(() => assertAgentFitsClient(a1, direct, kinds)).toThrow(/operator directly/);
    expect(() => assertAgentFitsClient(r1, r1s, kinds)).toThrow(/must be an agent/);
  });

  it('refuses a cycle in the reseller chain', () => {
    expect(() => assertNoCycle(r1, r1s)).toThrow(/cycle/);
    expect(() => assertNoCycle(r1, r1)).toThrow(/cycle/);
    expect(() => assertNoCycle(r1s, d2)).not.toThrow();
  });

  it('normalises and checks tax IDs', () => {
    expect(normalizeTaxId('nl 8123.4567-8B01')).toBe('NL812345678B01');
    expect(isWellFormedTaxId('NL812345678B01')).toBe(true);
    expect(isWellFormedTaxId('DE 123 456 789')).toBe(true);
    expect(isWellFormedTaxId('12345')).toBe(false);
    expect(isWellFormedTaxId('NL!')).toBe(false);
  });
});
