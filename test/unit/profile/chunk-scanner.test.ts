import { expect } from 'chai';
import { NotChunkable, TopLevelChunker } from '../../../src/profile/chunk-scanner.js';

type Split = { batches: string[]; chunker: TopLevelChunker };

/** Feed `xml` in pieces of `pieceSize` characters (0: whole) to a chunker handing out batches of `batchChars`. */
function split(xml: string, batchChars = 1, pieceSize = 0): Split {
  const chunker = new TopLevelChunker(batchChars);
  const batches: string[] = [];
  if (pieceSize === 0) batches.push(...chunker.push(xml));
  else for (let i = 0; i < xml.length; i += pieceSize) batches.push(...chunker.push(xml.slice(i, i + pieceSize)));
  batches.push(...chunker.end());
  return { batches, chunker };
}

/** Every way of cutting the input into pieces gives the same batches (the scanner resumes mid-token). */
function splitEveryWay(xml: string, batchChars = 1): string[] {
  const { batches } = split(xml, batchChars);
  for (const pieceSize of [1, 2, 3, 5, 8, 13]) {
    expect(split(xml, batchChars, pieceSize).batches, `pieces of ${pieceSize}`).to.deep.equal(batches);
  }
  return batches;
}

function notChunkable(xml: string): string {
  try {
    split(xml);
  } catch (e) {
    expect(e).to.be.instanceOf(NotChunkable);
    return (e as Error).message;
  }
  throw new Error(`expected NotChunkable for ${xml}`);
}

const PROFILE = '<Profile xmlns="http://soap.sforce.com/2006/04/metadata">';

describe('TopLevelChunker', () => {
  it('hands out whole top-level elements; together the batches are exactly the root content', () => {
    const content = '\n    <a>\n        <b>1</b>\n    </a>\n    <c>2</c>\n';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${PROFILE}${content}</Profile>\n`;
    const batches = splitEveryWay(xml);
    expect(batches).to.deep.equal(['\n    <a>\n        <b>1</b>\n    </a>', '\n    <c>2</c>', '\n']);
    expect(batches.join('')).to.equal(content);
    const { chunker } = split(xml);
    expect(chunker.prolog).to.equal(`<?xml version="1.0" encoding="UTF-8"?>\n${PROFILE}`);
    expect(chunker.rootStartTag).to.equal(PROFILE);
    expect(chunker.rootName).to.equal('Profile');
    expect(chunker.epilog).to.equal('\n');
  });

  it('groups elements into batches of at least batchChars', () => {
    const content = Array.from({ length: 20 }, (_, i) => `<e>${i}</e>`).join('');
    const batches = splitEveryWay(`<Profile>${content}</Profile>`, 30);
    expect(batches.join('')).to.equal(content);
    expect(batches.length).to.be.within(4, 7);
    for (const batch of batches.slice(0, -1)) expect(batch.length).to.be.at.least(30);
  });

  it('is not fooled by "<", ">" and tags inside comments', () => {
    const xml = `<!-- <Profile> --><Profile><!-- </Profile> <a> --><a><!-- </a> -> < --></a><!----><b/></Profile><!-- <x> -->`;
    expect(splitEveryWay(xml)).to.deep.equal(['<!-- </Profile> <a> --><a><!-- </a> -> < --></a>', '<!----><b/>']);
  });

  it('is not fooled by markup inside CDATA sections', () => {
    const xml = '<Profile><a><![CDATA[</a></Profile><b>]]]]><![CDATA[>]]></a><c>x</c></Profile>';
    expect(splitEveryWay(xml)).to.deep.equal(['<a><![CDATA[</a></Profile><b>]]]]><![CDATA[>]]></a>', '<c>x</c>']);
  });

  it('is not fooled by processing instructions', () => {
    const xml = '<?xml version="1.0"?><?pi <Profile>?><Profile><?pi </Profile>?><a><?x <b>?></a></Profile>';
    expect(splitEveryWay(xml)).to.deep.equal(['<?pi </Profile>?><a><?x <b>?></a>']);
  });

  it('counts depth through nested elements of the same name', () => {
    const xml = '<Profile><a><a><a/><a>1</a></a></a><a/><a><a></a></a></Profile>';
    expect(splitEveryWay(xml)).to.deep.equal(['<a><a><a/><a>1</a></a></a>', '<a/>', '<a><a></a></a>']);
  });

  it('knows self-closing elements, also with attributes holding ">" and "/>" in either quote', () => {
    const xml = `<Profile><loginHours/><a k="x>y/>"><b v='/>'/></a><c k='"/>' /><d k="'>"></d></Profile>`;
    expect(splitEveryWay(xml)).to.deep.equal([
      '<loginHours/>',
      `<a k="x>y/>"><b v='/>'/></a>`,
      `<c k='"/>' />`,
      `<d k="'>"></d>`,
    ]);
    expect(split('<Profile/>').batches).to.deep.equal([]);
    expect(split('<Profile />\n<!-- done -->').chunker.rootSelfClosing).to.equal(true);
  });

  it('drops a BOM and keeps CRLF line ends and blank lines inside the batches', () => {
    const xml = `\uFEFF<?xml version="1.0"?>\r\n${PROFILE}\r\n\r\n    <a>\r\n  <b>1</b>\r\n</a>\r\n   \r\n<c/>\r\n</Profile>\r\n`;
    const batches = splitEveryWay(xml);
    expect(batches).to.deep.equal(['\r\n\r\n    <a>\r\n  <b>1</b>\r\n</a>', '\r\n   \r\n<c/>', '\r\n']);
    expect(split(xml).chunker.prolog).to.equal(`<?xml version="1.0"?>\r\n${PROFILE}`);
  });

  it('takes a namespace-prefixed root and stray text in the root (a real profile has "</fieldPermissions>>")', () => {
    const xml = '<md:Profile xmlns:md="urn:x"><md:a>1</md:a>>\n<md:b/></md:Profile >';
    expect(splitEveryWay(xml)).to.deep.equal(['<md:a>1</md:a>', '>\n<md:b/>']);
    expect(split(xml).chunker.rootName).to.equal('md:Profile');
  });

  it('gives up on what it does not handle, for the whole-document reader to decide', () => {
    expect(notChunkable('')).to.contain('no root element');
    expect(notChunkable(' \n ')).to.contain('no root element');
    expect(notChunkable('{"Profile": {}}')).to.contain('text before the root');
    expect(notChunkable('<PermissionSet><a/></PermissionSet>')).to.contain('<PermissionSet>');
    expect(notChunkable('<!DOCTYPE Profile [<!ENTITY e "v">]><Profile><a>&e;</a></Profile>')).to.contain(
      'not chunkable',
    );
    expect(notChunkable('<Profile><a>1</a>')).to.contain('ends inside the root');
    expect(notChunkable('<Profile><a>1</a></Profil>')).to.contain('does not match');
    expect(notChunkable('<Profile><a>1</a></Profile><Profile/>')).to.contain('after the root');
    expect(notChunkable('<Profile><a>1</a></Profile>junk')).to.contain('after the root');
    expect(notChunkable('<Profile><![CDATA[x]]><a/></Profile>')).to.contain('CDATA');
    expect(notChunkable('<Profile><a <b/></Profile>')).to.contain('"<" inside a tag');
    expect(notChunkable('<Profile><!-- open')).to.contain('ends inside the root');
  });
});
