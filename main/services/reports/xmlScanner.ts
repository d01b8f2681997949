import { ReportRefused, type ReadBudget } from './budget.js';

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

export function notWellFormed(detail: string): ReportRefused {
  return new ReportRefused(`The report is not well-formed XML (${detail}).`);
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
    return Object.hasOwn(predefined, body) ? (predefined[body] as string) : whole;
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

/** Scans one whole document, calling the handler; throws ReportRefused. */
export function scanXml(xml: string, handler: XmlHandler, budget: ReadBudget): void {
  const qnames: string[] = [];
  const path: string[] = [];
  let text = '';
  let rootSeen = false;
  let rootClosed = false;
  let pos = 0;
  let steps = 0;
  const addText = (segment: string): void => {
    if (path.length === 0) {
      if (segment.trim() !== '') throw notWellFormed(rootClosed ? 'text after the root element' : 'text before the root element');
      return;
    }
    if (text.length + segment.length > MAX_TEXT_CHARS) throw new ReportRefused(`The report has an element <${path.at(-1) ?? ''}> with more than ${MAX_TEXT_CHARS} characters of text.`);
    text += segment;
  };
  while (pos < xml.length) {
    if ((++steps & 4095) === 0) budget.check();
    const lt = xml.indexOf('<', pos);
    if (lt === -1) {
      addText(decodeEntities(xml.slice(pos)));
      break;
    }
    if (lt > pos) addText(decodeEntities(xml.slice(pos, lt)));
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) throw notWellFormed('a processing instruction is not closed');
      pos = end + 2;
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) throw notWellFormed('a comment is not closed');
        pos = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) throw notWellFormed('a CDATA section is not closed');
        addText(xml.slice(lt + 9, end));
        pos = end + 3;
      } else {
        throw new ReportRefused('The report declares a DOCTYPE or entities, which aggregate reports never need; refused (it may be an XXE attack).');
      }
    } else if (next === 0x2f /* / */) {
      const end = xml.indexOf('>', lt + 2);
      if (end === -1) throw notWellFormed('an end tag is not closed');
      const qname = xml.slice(lt + 2, end).trim();
      const open = qnames.pop();
      if (open !== qname) throw notWellFormed(open === undefined ? `</${qname.slice(0, 40)}> closes nothing` : `</${qname.slice(0, 40)}> closes <${open.slice(0, 40)}>`);
      handler.close(path, text.trim());
      path.pop();
      text = '';
      if (qnames.length === 0) rootClosed = true;
      pos = end + 1;
    } else {
      const end = tagEnd(xml, lt + 1);
      if (end === -1) throw notWellFormed('a start tag is not closed');
      const selfClosing = xml.charCodeAt(end - 1) === 0x2f;
      const inner = xml.slice(lt + 1, selfClosing ? end - 1 : end);
      const space = inner.search(/[\s]/);
      const qname = space === -1 ? inner : inner.slice(0, space);
      if (!NAME.test(qname)) {
        // `<someone@example.org>` in <email>: reporters write addresses in angle brackets unescaped.
        if (/^[^\s<>@]+@[^\s<>@]+$/.test(inner) && path.length > 0) {
          addText(`<${inner}>`);
          pos = end + 1;
          continue;
        }
        throw notWellFormed(`"<${qname.slice(0, 40)}" is not a tag`);
      }
      if (rootClosed) throw notWellFormed('a second root element');
      if (qnames.length >= MAX_XML_DEPTH) throw new ReportRefused(`The report nests elements more than ${MAX_XML_DEPTH} deep.`);
      rootSeen = true;
      qnames.push(qname);
      path.push(localName(qname));
      text = '';
      handler.open(path);
      if (selfClosing) {
        handler.close(path, '');
        qnames.pop();
        path.pop();
        if (qnames.length === 0) rootClosed = true;
      }
      pos = end + 1;
    }
  }
  if (!rootSeen) throw notWellFormed('no element');
  if (qnames.length > 0) throw notWellFormed(`the document ends inside <${qnames.at(-1)?.slice(0, 40) ?? ''}>`);
}
