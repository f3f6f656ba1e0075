import { escapeLike, likeContaining, likeExactly, likeStartingWith } from './like';

describe('LIKE patterns from user text', () => {
  it('makes % and _ (and the escape character) match literally', () => {
    expect(escapeLike('100%_Cloud\\x')).toBe('100\\%\\_Cloud\\\\x');
    expect(likeContaining('%')).toBe('%\\%%');
    expect(likeStartingWith('/a_b/')).toBe('/a\\_b/%');
    expect(likeExactly('Acme')).toBe('Acme');
  });
});
