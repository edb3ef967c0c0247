import { expect } from 'chai';
import { csvCell, csvLine } from '../../../src/report/csv.js';

describe('csvCell', () => {
  it('quotes per RFC 4180', () => {
    expect(csvCell('plain')).to.equal('plain');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('two\nlines')).to.equal('"two\nlines"');
    expect(csvCell(undefined)).to.equal('');
    expect(csvCell(3)).to.equal('3');
  });

  it('defuses every formula start with a leading quote, and still quotes what needs it', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`)).to.match(/^"?'/);
    expect(csvCell('=1+1')).to.equal("'=1+1");
    expect(csvCell('-2')).to.equal("'-2");
    expect(csvCell('=HYPERLINK("x","y")')).to.equal('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell('a=1')).to.equal('a=1');
  });

  it('joins a line', () => {
    expect(csvLine(['a', '=b', 'c,d'])).to.equal(`a,'=b,"c,d"`);
  });
});
