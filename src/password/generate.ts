import { randomInt } from 'node:crypto';

// no look-alikes (0/O, 1/l/I) so a password read aloud or copied by hand survives; symbols that need no
// escaping in a shell single-quoted string, a .env file or a URL-encoded form body once encoded
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-=?@^_~';
export const PASSWORD_CLASSES = [UPPER, LOWER, DIGITS, SYMBOLS] as const;

export const DEFAULT_PASSWORD_LENGTH = 24;
export const MIN_PASSWORD_LENGTH = 16;

/**
 * A strong random password from a cryptographic source (crypto.randomInt, no modulo bias): at least one character of
 * each class (upper, lower, digit, symbol), the rest drawn from all of them, then shuffled (Fisher–Yates). With the
 * default 24 characters from 66 symbols that is over 140 bits.
 */
export function generatePassword(length = DEFAULT_PASSWORD_LENGTH): string {
  if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > 128) {
    throw new RangeError(`password length must be an integer from ${MIN_PASSWORD_LENGTH} to 128`);
  }
  const all = PASSWORD_CLASSES.join('');
  const chars = PASSWORD_CLASSES.map((set) => set[randomInt(set.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** Whether a password meets the policy this module generates for (length, and every class present). */
export function meetsPolicy(password: string, minLength = MIN_PASSWORD_LENGTH): boolean {
  return password.length >= minLength && PASSWORD_CLASSES.every((set) => [...password].some((c) => set.includes(c)));
}
