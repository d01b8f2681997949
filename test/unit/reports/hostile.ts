// A hostile report message, constructed to hit every costly path of the old reader at once:
// thousands of nested and sibling MIME parts, a long quoted-printable part, a base64 gzip that
// expands a thousand times, XML nested deep with many attributes, and an unclosed comment.
import { gzipSync } from 'fflate';

export function hostileMessage(): string {
  const parts: string[] = [];
  let nested = 'Content-Type: text/plain\n\nbottom';
  for (let depth = 0; depth < 40; depth++) nested = `Content-Type: multipart/mixed; boundary="n${depth}"\n\n--n${depth}\n${nested}\n--n${depth}--\n`;
  parts.push(nested);
  for (let i = 0; i < 2000; i++) parts.push(`Content-Type: application/octet-stream; name="p${i}.xml"\n\n<feedback><a>`);
  const qp = `${'=3Cfeedback=3E'.repeat(20_000)}=\n`.repeat(8);
  parts.push(`Content-Type: text/xml; name="qp.xml"\nContent-Transfer-Encoding: quoted-printable\n\n${qp}`);
  const bomb = Buffer.from(gzipSync(new Uint8Array(8 * 1024 * 1024).fill(0x3c))).toString('base64').replace(/.{76}/g, '$&\n');
  parts.push(`Content-Type: application/gzip; name="b.xml.gz"\nContent-Transfer-Encoding: base64\n\n${bomb}`);
  const deep = `<?xml version="1.0"?><feedback>${'<x a="1" b="2" c="3">'.repeat(5000)}`;
  parts.push(`Content-Type: text/xml; name="deep.xml"\n\n${deep}`);
  parts.push(`Content-Type: text/xml; name="comment.xml"\n\n<?xml version="1.0"?><feedback><!-- ${'-'.repeat(100_000)}`);
  const body = parts.map((p) => `--H\n${p}\n`).join('') + '--H--\n';
  return `From: x@evil.example\nSubject: hostile\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="H"\n\n${body}`;
}
