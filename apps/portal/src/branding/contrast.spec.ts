import { AA, contrastRatio, parseHex, readableOnWhite, textOn, toHex } from './contrast';

describe('brand colour contrast', () => {
  it('reads #rgb and #rrggbb, and nothing else', () => {
    expect(parseHex('#0b5cab')).toEqual([11, 92, 171]);
    expect(parseHex('#fff')).toEqual([255, 255, 255]);
    expect(parseHex('blue')).toBeNull();
    expect(toHex([11, 92, 171])).toBe('#0b5cab');
  });

  it('puts white text on dark brands and dark text on light ones', () => {
    expect(textOn(parseHex('#0b5cab')!)).toBe('#ffffff');
    expect(textOn(parseHex('#fde047')!)).not.toBe('#ffffff');
    // A mid-tone (pure red) reads with neither at AA: the portal fills with the darkened brand.
    for (const brand of ['#0b5cab', '#fde047', '#22c55e', '#ff0000', '#777777']) {
      const background = readableOnWhite(parseHex(brand)!);
      expect(contrastRatio(background, parseHex(textOn(background))!)).toBeGreaterThanOrEqual(AA);
    }
  });

  it('darkens a light brand colour until it reads on white, and leaves a dark one alone', () => {
    const yellow = readableOnWhite(parseHex('#fde047')!);
    expect(contrastRatio(yellow, [255, 255, 255])).toBeGreaterThanOrEqual(AA);
    expect(readableOnWhite(parseHex('#0b5cab')!)).toEqual(parseHex('#0b5cab'));
  });
});
