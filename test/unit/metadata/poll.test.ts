import { expect } from 'chai';
import { BACKOFF_MS, pollDelay, pollInterval, POLL_ENV } from '../../../src/metadata/poll.js';

describe('deploy status polling', () => {
  afterEach(() => delete process.env[POLL_ENV]);

  it('checks at once, then starts fast and backs off: a deploy done after 1 s is seen by about 1 s', () => {
    expect(pollDelay(0)).to.equal(0);
    const checksAt: number[] = [];
    let t = 0;
    for (let n = 0; n < 6; n++) checksAt.push((t += pollDelay(n)));
    expect(checksAt.find((at) => at >= 1000)).to.be.at.most(1000);
    expect(pollDelay(50)).to.equal(BACKOFF_MS[BACKOFF_MS.length - 1]);
  });

  it('a fixed interval replaces the back-off after the first check', () => {
    expect([0, 1, 2].map((n) => pollDelay(n, 50))).to.deep.equal([0, 50, 50]);
  });

  it('the hidden flag wins over the environment variable, which is read only here', () => {
    process.env[POLL_ENV] = '10';
    expect(pollInterval(25)).to.equal(25);
    expect(pollInterval()).to.equal(10);
    process.env[POLL_ENV] = 'nonsense';
    expect(pollInterval()).to.equal(undefined);
  });
});
