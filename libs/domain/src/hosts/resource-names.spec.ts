import fc from 'fast-check';
import { errorOf } from '../testing/error-of';
import { assertResourceName, RESOURCE_NAME_PATTERN, resourceName } from './resource-names';

describe('resource names', () => {
  it('joins business parts into a safe, deterministic name', () => {
    expect(resourceName('ws', 'Env 42', 'Web_1')).toBe('ws-env-42-web-1');
    expect(resourceName('ws', '7f3c…', '')).toBe('ws-7f3c');
    expect(resourceName('ws', 'x'.repeat(100))).toMatch(/^ws-x+-[0-9a-f]{8}$/);
    expect(resourceName('ws', 'x'.repeat(100))).toHaveLength(63);
  });

  it('refuses names that could break a path, a command line or an XML document', () => {
    for (const bad of ['', 'Web', 'a b', "a'b", 'a<b', 'a/b', 'a.b', '-a', 'a'.repeat(64)]) {
      expect(errorOf(() => assertResourceName(bad))).toMatchObject({ code: 'HYPERVISOR_INVALID_REQUEST' });
    }
    expect(() => assertResourceName('ws-env-42-web-1')).not.toThrow();
  });

  it('always yields a valid name, the same for the same parts and different for different long parts (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { minLength: 1, maxLength: 4 }), (parts) => {
        fc.pre(parts.some((part) => /[a-z0-9]/i.test(part)));
        const name = resourceName(...parts);
        expect(name).toMatch(RESOURCE_NAME_PATTERN);
        expect(resourceName(...parts)).toBe(name);
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ minLength: 70, maxLength: 90 }).map((s) => s.replace(/[^a-z]/g, 'a')),
        fc.string({ minLength: 1, maxLength: 5 }),
        (long, suffix) => {
          fc.pre(/[a-z0-9]/i.test(suffix));
          expect(resourceName('ws', long, suffix)).not.toBe(resourceName('ws', long, `${suffix}z`));
        },
      ),
    );
  });
});
