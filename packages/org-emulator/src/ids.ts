/**
 * Salesforce record ids: 3-char key prefix, 12 more chars, and (18-char form) a 3-char suffix that encodes
 * the case of the first 15 characters, so case-insensitive systems can tell ids apart.
 */

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS[bits];
  }
  return suffix;
}

export const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

export function looksLikeId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    ID_PATTERN.test(value) &&
    (value.length === 15 || checksum(value.slice(0, 15)) === value.slice(15))
  );
}

/** 18-char form of a 15- or 18-char id; anything else is returned unchanged. */
export function to18(id: string): string {
  if (id.length === 15 && /^[a-zA-Z0-9]{15}$/.test(id)) return id + checksum(id);
  if (id.length === 18 && /^[a-zA-Z0-9]{15}[A-Z0-5]{3}$/.test(id)) return id.slice(0, 15) + checksum(id.slice(0, 15));
  return id;
}

function base62(n: number, width: number): string {
  let s = '';
  let v = n;
  while (v > 0) {
    s = BASE62[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, '0');
}

/** Makes ids unique within one emulator process (all orgs share it, like one Salesforce pod). */
export class IdFactory {
  private counter = 0;
  public constructor(private readonly pod = 'Hu') {}

  public next(prefix: string): string {
    this.counter += 1;
    // prefix(3) + pod(2) + reserved '0' + 9 base62 chars: mixed case exercises the checksum
    const id15 = `${prefix}${this.pod}0${base62(this.counter * 7919 + 3844, 9)}`;
    return id15 + checksum(id15);
  }
}
