import { expect } from 'chai';
import {
  DEFAULT_PASSWORD_LENGTH,
  generatePassword,
  meetsPolicy,
  PASSWORD_CLASSES,
} from '../../../src/password/generate.js';

describe('generatePassword', () => {
  it('always has every character class at the asked length', () => {
    for (let i = 0; i < 2000; i++) {
      const pw = generatePassword(16);
      expect(pw).to.have.length(16);
      expect(meetsPolicy(pw), pw).to.equal(true);
    }
    expect(generatePassword()).to.have.length(DEFAULT_PASSWORD_LENGTH);
    expect(generatePassword(128)).to.have.length(128);
  });

  it('refuses lengths below 16 or above 128', () => {
    for (const n of [0, 8, 15, 129, 20.5]) expect(() => generatePassword(n), String(n)).to.throw(RangeError);
  });

  it('draws from the whole charset, roughly evenly, with no repeats across many passwords', () => {
    const all = PASSWORD_CLASSES.join('');
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const pw = generatePassword();
      seen.add(pw);
      for (const c of pw) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(seen.size).to.equal(3000);
    expect([...counts.keys()].sort().join('')).to.equal([...all].sort().join(''));
    // 72,000 characters over 66 symbols: about 1,090 each; guaranteed class members lift the smaller classes a little
    for (const [c, n] of counts) expect(n, c).to.be.within(700, 1700);
    // the guaranteed characters are shuffled in, not always first
    const firsts = new Set(Array.from({ length: 200 }, () => generatePassword()[0]));
    expect(firsts.size).to.be.greaterThan(30);
  });

  it('meetsPolicy can fail', () => {
    expect(meetsPolicy('abcdefghijkmnopqrstu')).to.equal(false);
    expect(meetsPolicy('Ab3!')).to.equal(false);
  });
});
