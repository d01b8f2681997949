import { own } from '../../../shared/dictionary.js';
import { ReportRefused, type ReadBudget } from './budget.js';
import { reportSentence } from './sentences.js';

/**
 * A single-pass XML scanner for report documents: no DOM, no DTD, no entity expansion beyond
 * the five predefined entities and character references. It reports each element's start and
 * its end with the element's own text, so a reader keeps only what it wants (memory follows
 * the rows kept, not the document). Linear in the input: each `<` is looked at once, and the
 * budget is asked as it goes. A DOCTYPE or ENTITY declaration is refused (no XXE, no
 * "billion laughs"); mismatched tags are "not well-formed".
 */
export interface XmlHandler {
  /** `path` holds the local names (namespace prefix removed) from the root to this element. */
  open(path: readonly string[]): void;
  close(path: readonly string[], text: string): void;
}

export const MAX_XML_DEPTH = 32;
/** Longest text of one element (a report field is short; a huge one is an attack or damage). */
const MAX_TEXT_CHARS = 64 * 1024;

const NAME = /^[A-Za-z_][\w.:-]*$/;

/** Not well-formed XML; `problem` names what (`words.reports.note.problem.<problem>`). */
export function notWellFormed(problem: string, params: Record<string, string | number> = {}): ReportRefused {
  return new ReportRefused(reportSentence('notWellFormed', { ...params, problem }));
}

const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Predefined entities and character references decoded; anything else is kept as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z]{2,4});/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return own(predefined, body) ?? whole;
  });
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

/** The end of a start tag: the first `>` outside quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return i;
  }
  return -1;
}

/** Longest construct (a tag, a comment, a run of text) the scanner waits for across chunks. */
const MAX_PENDING_CHARS = 1024 * 1024;

/**
 * Push scanner: `write` text chunks as they are decoded, then `end`. Only an unfinished
 * construct is carried from one chunk to the next (at most MAX_PENDING_CHARS), so the document
 * itself is never held whole.
 */
export class XmlScanner {
  private readonly qnames: string[] = [];
  private readonly path: string[] = [];
  private text = '';
  private rootSeen = false;
  private rootClosed = false;
  private pending = '';
  private steps = 0;
  /** Characters written so far. */
  chars = 0;
  /** The text from the root element's start tag to the end of the chunk it came in. */
  fromRoot = '';

  constructor(
    private readonly handler: XmlHandler,
    private readonly budget: ReadBudget,
  ) {}

  private addText(segment: string): void {
    if (this.path.length === 0) {
      if (segment.trim() !== '') throw notWellFormed(this.rootClosed ? 'textAfterRoot' : 'textBeforeRoot');
      return;
    }
    if (this.text.length + segment.length > MAX_TEXT_CHARS) throw new ReportRefused(reportSentence('longText', { element: this.path.at(-1) ?? '', chars: MAX_TEXT_CHARS }));
    this.text += segment;
  }

  write(chunk: string): void {
    this.chars += chunk.length;
    const xml = this.pending === '' ? chunk : this.pending + chunk;
    const used = this.scan(xml, false);
    this.pending = xml.slice(used);
    if (this.pending.length > MAX_PENDING_CHARS) throw notWellFormed('longConstruct', { chars: MAX_PENDING_CHARS });
  }

  end(): void {
    const xml = this.pending;
    this.pending = '';
    this.scan(xml, true);
    if (!this.rootSeen) throw notWellFormed('noElement');
    if (this.qnames.length > 0) throw notWellFormed('endsInside', { element: this.qnames.at(-1)?.slice(0, 40) ?? '' });
  }

  /** Scans complete constructs; returns how far it got (the rest waits for the next chunk). */
  private scan(xml: string, final: boolean): number {
    const { qnames, path, handler } = this;
    let pos = 0;
    while (pos < xml.length) {
      if ((++this.steps & 4095) === 0) this.budget.check();
      const lt = xml.indexOf('<', pos);
      if (lt === -1) {
        // Text up to the end: wait unless final (an entity may be cut in two).
        if (!final) return pos;
        this.addText(decodeEntities(xml.slice(pos)));
        return xml.length;
      }
      if (lt > pos) this.addText(decodeEntities(xml.slice(pos, lt)));
      if (!final && xml.length - lt < 9) return lt;
      const next = xml.charCodeAt(lt + 1);
      if (next === 0x3f /* ? */) {
        const end = xml.indexOf('?>', lt + 2);
        if (end === -1) {
          if (!final) return lt;
          throw notWellFormed('piNotClosed');
        }
        pos = end + 2;
      } else if (next === 0x21 /* ! */) {
        if (xml.startsWith('<!--', lt)) {
          const end = xml.indexOf('-->', lt + 4);
          if (end === -1) {
            if (!final) return lt;
            throw notWellFormed('commentNotClosed');
          }
          pos = end + 3;
        } else if (xml.startsWith('<![CDATA[', lt)) {
          const end = xml.indexOf(']]>', lt + 9);
          if (end === -1) {
            if (!final) return lt;
            throw notWellFormed('cdataNotClosed');
          }
          this.addText(xml.slice(lt + 9, end));
          pos = end + 3;
        } else {
          throw new ReportRefused(reportSentence('doctype'));
        }
      } else if (next === 0x2f /* / */) {
        const end = xml.indexOf('>', lt + 2);
        if (end === -1) {
          if (!final) return lt;
          throw notWellFormed('endTagNotClosed');
        }
        const qname = xml.slice(lt + 2, end).trim();
        const open = qnames.pop();
        if (open !== qname) throw notWellFormed(open === undefined ? 'closesNothing' : 'closesOther', { element: qname.slice(0, 40), open: open?.slice(0, 40) ?? '' });
        handler.close(path, this.text.trim());
        path.pop();
        this.text = '';
        if (qnames.length === 0) this.rootClosed = true;
        pos = end + 1;
      } else {
        const end = tagEnd(xml, lt + 1);
        if (end === -1) {
          if (!final) return lt;
          throw notWellFormed('startTagNotClosed');
        }
        const selfClosing = xml.charCodeAt(end - 1) === 0x2f;
        const inner = xml.slice(lt + 1, selfClosing ? end - 1 : end);
        const space = inner.search(/[\s]/);
        const qname = space === -1 ? inner : inner.slice(0, space);
        if (!NAME.test(qname)) {
          // `<someone@example.org>` in <email>: reporters write addresses in angle brackets unescaped.
          if (/^[^\s<>@]+@[^\s<>@]+$/.test(inner) && path.length > 0) {
            this.addText(`<${inner}>`);
            pos = end + 1;
            continue;
          }
          throw notWellFormed('notATag', { element: qname.slice(0, 40) });
        }
        if (this.rootClosed) throw notWellFormed('secondRoot');
        if (qnames.length >= MAX_XML_DEPTH) throw new ReportRefused(reportSentence('tooDeep', { depth: MAX_XML_DEPTH }));
        if (!this.rootSeen) this.fromRoot = xml.slice(lt);
        this.rootSeen = true;
        qnames.push(qname);
        path.push(localName(qname));
        this.text = '';
        handler.open(path);
        if (selfClosing) {
          handler.close(path, '');
          qnames.pop();
          path.pop();
          if (qnames.length === 0) this.rootClosed = true;
        }
        pos = end + 1;
      }
    }
    return pos;
  }
}
