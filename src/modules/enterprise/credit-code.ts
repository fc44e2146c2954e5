/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters, the last a check
 * character computed from the first 17 with the standard's weights modulo 31. Used by the seed to
 * validate enterprise input and by the seed to generate valid demo codes.
 */

/** The 31 characters a code may use: digits and capitals without I, O, S, V and Z. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weight of each of the first 17 positions: 3^i mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters; throws on a wrong length or character. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new Error(`"${first17[i]}" is not a credit-code character`);
    sum += value * WEIGHTS[i];
  }
  // The standard's 31 − (sum mod 31), where a result of 31 stands for 0.
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

/** True for an 18-character code from the alphabet whose last character is its check character. */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}
