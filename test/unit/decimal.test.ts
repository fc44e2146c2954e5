import { addDecimals, compareDecimals, divideDecimalByInteger, multiplyDecimals, normalizeDecimal, toUnits, fromUnits } from '../../src/core/db/decimal';

describe('exact decimals', () => {
  it.each([
    ['1200.0000', '1200'], ['0.5000', '0.5'], ['-0', '0'], ['-0.0000', '0'], ['007', '7'], ['-12.3400', '-12.34'], [' 1.5 ', '1.5'],
    [123.45, '123.45'], [0.1 + 0.2, '0.3'], ['1e3', null], ['1.23456', null], ['abc', null], ['', null],
  ])('normalizes %p to %p (the fast path and the exact path agree)', (input, expected) => {
    if (expected === null) expect(() => normalizeDecimal(input as never)).toThrow();
    else {
      expect(normalizeDecimal(input as never)).toBe(expected);
      expect(fromUnits(toUnits(input as never))).toBe(expected);
    }
  });

  it('takes the string fast path exactly when the exact path agrees, on random decimal-looking text', () => {
    // Deterministic pseudo-random strings over the characters that matter.
    let seed = 20261129;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const alphabet = ['0', '0', '1', '5', '9', '.', '-', 'e', ' '];
    for (let k = 0; k < 20_000; k++) {
      const text = Array.from({ length: 1 + next(9) }, () => alphabet[next(alphabet.length)]).join('');
      let exact: string | null;
      try {
        exact = fromUnits(toUnits(text));
      } catch {
        exact = null;
      }
      let fast: string | null;
      try {
        fast = normalizeDecimal(text);
      } catch {
        fast = null;
      }
      expect({ text, fast }).toEqual({ text, fast: exact });
    }
  });

  it('adds, compares, multiplies and divides without floats', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(addDecimals('999999999.9999', '0.0001')).toBe('1000000000');
    expect(compareDecimals('100', '20')).toBe(1);
    expect(compareDecimals('-1', '0')).toBe(-1);
    expect(multiplyDecimals('800', '0.1')).toBe('80');
    expect(multiplyDecimals('0.3333', '0.3333')).toBe('0.1111');
    expect(divideDecimalByInteger('30', 15)).toBe('2');
    expect(divideDecimalByInteger('10', 15)).toBe('0.6667');
  });
});
