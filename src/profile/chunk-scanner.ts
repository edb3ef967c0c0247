/**
 * Splits a profile's XML into batches of whole top-level elements, so each batch can be parsed on its own and the
 * parser's working memory stays bounded however large the file is (a Profile is a flat list of top-level elements).
 *
 * The scanner only tracks element depth; it knows comments, CDATA sections, processing instructions and quoted
 * attribute values, so a `<` or `>` inside them is not taken for a tag. It does not check well-formedness: each
 * batch is validated by the caller. Anything it does not expect (a DOCTYPE, CDATA directly inside the root, content
 * after the root, input that ends early) raises {@link NotChunkable}: the caller then reads the document whole, which
 * gives the same result or the same error as before, only without the memory bound.
 */

/** The input cannot be split safely; read it whole instead. */
export class NotChunkable extends Error {
  public constructor(reason: string) {
    super(`not chunkable: ${reason}`);
    this.name = 'NotChunkable';
  }
}

/**
 * Characters of XML per batch. Small batches are both leaner and faster (measured on a 45 MB profile: 16 K beats
 * 512 K): each batch's parse tree dies young, in the young generation, instead of being promoted and piling up.
 */
export const DEFAULT_BATCH_CHARS = 16 * 1024;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOS = 0x27;

const enum Phase {
  Prolog,
  Content,
  Epilog,
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Incremental splitter: feed the document in pieces of any size with {@link push} (each returns the batches it
 * completed), then call {@link end}. Concatenated, the batches are exactly the root element's content.
 */
export class TopLevelChunker {
  /** everything before the root's content: declaration, comments, the root start tag (BOM removed) */
  public prolog = '';
  /** the root start tag as written, attributes included */
  public rootStartTag = '';
  /** the root element's name as written (with its namespace prefix, if any) */
  public rootName = '';
  /** the root element is written `<Profile/>` */
  public rootSelfClosing = false;
  /** what follows the root end tag */
  public epilog = '';

  private buf = '';
  private pos = 0;
  private batchStart = 0;
  private depth = 0;
  private phase = Phase.Prolog;
  private started = false;

  public constructor(private readonly batchChars = DEFAULT_BATCH_CHARS) {}

  /** Add the next piece of the document; returns the batches it completed, in document order. */
  public push(piece: string): string[] {
    let text = piece;
    if (!this.started && text.length > 0) {
      this.started = true;
      // a BOM before the declaration is common in files saved by Windows editors
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.phase === Phase.Epilog) {
      this.epilog += text;
      return [];
    }
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    const out: string[] = [];
    this.scan(out, false);
    if (this.phase === Phase.Content && this.batchStart > 0) {
      // forget what was handed out; only the unfinished batch stays in memory
      this.buf = this.buf.slice(this.batchStart);
      this.pos -= this.batchStart;
      this.batchStart = 0;
    }
    return out;
  }

  /** The document is complete; returns the last batches. */
  public end(): string[] {
    const out: string[] = [];
    if (this.phase !== Phase.Epilog) this.scan(out, true);
    if (this.phase !== Phase.Epilog) throw new NotChunkable('the root element is not closed');
    checkMisc(this.epilog, 'after the root element');
    return out;
  }

  private scan(out: string[], final: boolean): void {
    if (this.phase === Phase.Prolog && !this.scanProlog(final)) return;
    if (this.phase === Phase.Content) this.scanContent(out, final);
  }

  /** Up to and including the root start tag; false while it is incomplete. */
  private scanProlog(final: boolean): boolean {
    const buf = this.buf;
    let p = this.pos;
    for (;;) {
      while (p < buf.length && isSpace(buf.charCodeAt(p))) p++;
      if (p >= buf.length) return this.wait(p, final, 'no root element');
      if (buf.charCodeAt(p) !== LT) throw new NotChunkable('text before the root element');
      if (buf.startsWith('<![CDATA[', p)) throw new NotChunkable('CDATA before the root element');
      const end = miscEnd(buf, p);
      if (end === undefined) break;
      if (end < 0) return this.wait(p, final, 'unfinished comment or declaration');
      p = end;
    }
    const tagEnd = startTagEnd(buf, p);
    if (tagEnd < 0) return this.wait(p, final, 'unfinished root start tag');
    const tag = buf.slice(p, tagEnd);
    const name = /^<([^\s/>]+)/.exec(tag)?.[1];
    if (!name) throw new NotChunkable('no root element name');
    // a profile only: anything else gets the whole-document reader's precise error
    if (name.slice(name.indexOf(':') + 1) !== 'Profile') throw new NotChunkable(`root element <${name}>`);
    this.rootName = name;
    this.rootStartTag = tag;
    this.prolog = buf.slice(0, tagEnd);
    if (buf.charCodeAt(tagEnd - 2) === SLASH) {
      this.rootSelfClosing = true;
      this.phase = Phase.Epilog;
      this.epilog = buf.slice(tagEnd);
      this.buf = '';
      return false;
    }
    this.phase = Phase.Content;
    this.depth = 1;
    this.buf = buf.slice(tagEnd);
    this.pos = 0;
    this.batchStart = 0;
    return true;
  }

  private scanContent(out: string[], final: boolean): void {
    const buf = this.buf;
    let p = this.pos;
    let depth = this.depth;
    for (;;) {
      const lt = buf.indexOf('<', p);
      // text between elements, even stray text directly inside the root (seen in a real profile), goes with its batch
      const textEnd = lt < 0 ? buf.length : lt;
      if (lt < 0) {
        p = textEnd;
        break;
      }
      p = lt;
      const next = buf.charCodeAt(p + 1);
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
        if (depth === 1 && buf.startsWith('<![CDATA[', p)) throw new NotChunkable('CDATA in the root');
        const end = miscEnd(buf, p);
        if (end === undefined) throw new NotChunkable('markup declaration inside the root');
        if (end < 0) break;
        p = end;
        continue;
      }
      if (next === SLASH) {
        const gt = buf.indexOf('>', p + 2);
        if (gt < 0) break;
        depth--;
        if (depth === 0) {
          if (buf.slice(p + 2, gt).trim() !== this.rootName) throw new NotChunkable('root end tag does not match');
          if (p > this.batchStart) out.push(buf.slice(this.batchStart, p));
          this.phase = Phase.Epilog;
          this.epilog = buf.slice(gt + 1);
          this.buf = '';
          this.pos = 0;
          this.batchStart = 0;
          this.depth = 0;
          return;
        }
        p = gt + 1;
        if (depth === 1) this.boundary(out, p);
        continue;
      }
      if (Number.isNaN(next)) break; // a lone "<" at the end of this piece
      const gt = startTagEnd(buf, p);
      if (gt < 0) break;
      p = gt;
      if (buf.charCodeAt(gt - 2) !== SLASH) depth++;
      else if (depth === 1) this.boundary(out, p);
    }
    // wait for more input at the first unfinished token
    this.pos = p;
    this.depth = depth;
    if (final) throw new NotChunkable('the document ends inside the root element');
  }

  /** A top-level element ends at `p`: hand out a batch when it is big enough. */
  private boundary(out: string[], p: number): void {
    if (p - this.batchStart >= this.batchChars) {
      out.push(this.buf.slice(this.batchStart, p));
      this.batchStart = p;
    }
  }

  private wait(p: number, final: boolean, reason: string): false {
    if (final) throw new NotChunkable(reason);
    this.pos = p;
    return false;
  }
}

/**
 * End (exclusive) of the comment, processing instruction or CDATA section starting at `p`; -1 when the buffer ends
 * first; undefined when `p` starts none of them (an element, or a DOCTYPE, which the chunker does not handle).
 */
function miscEnd(buf: string, p: number): number | undefined {
  if (buf.startsWith('<!--', p)) return after(buf, '-->', p + 4);
  if (buf.startsWith('<![CDATA[', p)) return after(buf, ']]>', p + 9);
  if (buf.startsWith('<?', p)) return after(buf, '?>', p + 2);
  // the buffer ends inside one of the openings above
  if (buf.length - p < 9) {
    const rest = buf.slice(p);
    if ('<!--'.startsWith(rest) || '<![CDATA['.startsWith(rest)) return -1;
  }
  return undefined;
}

function after(buf: string, close: string, from: number): number {
  const i = buf.indexOf(close, from);
  return i < 0 ? -1 : i + close.length;
}

/** End (exclusive) of the start tag at `p`, skipping `>` inside quoted attribute values; -1 when incomplete. */
function startTagEnd(buf: string, p: number): number {
  for (let i = p + 1; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c === GT) return i + 1;
    if (c === QUOTE || c === APOS) {
      const close = buf.indexOf(c === QUOTE ? '"' : "'", i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === LT) {
      throw new NotChunkable('"<" inside a tag');
    }
  }
  return -1;
}

/** Only whitespace, comments and processing instructions may follow the root. */
function checkMisc(text: string, where: string): void {
  let p = 0;
  for (;;) {
    while (p < text.length && isSpace(text.charCodeAt(p))) p++;
    if (p >= text.length) return;
    if (text.charCodeAt(p) !== LT || text.startsWith('<![CDATA[', p)) throw new NotChunkable(`content ${where}`);
    const end = miscEnd(text, p);
    if (end === undefined || end < 0) throw new NotChunkable(`content ${where}`);
    p = end;
  }
}
