import { describe, expect, it } from 'vitest';
import { explainHeaders, parseAuthenticationResults, parseHeaderFields } from '../../../shared/verify/headerExplainer.js';

// Shaped like Gmail's "Show original" for a message from a home server.
const gmail = [
  'Delivered-To: someone@gmail.com',
  'Received: by 2002:a05:6a10:1234 with SMTP id abc;',
  '        Sat, 28 Nov 2026 10:01:02 -0800 (PST)',
  'ARC-Seal: i=1; a=rsa-sha256; t=1795000000; cv=none;',
  '        d=google.com; s=arc-20240605;',
  '        b=AAAA',
  'ARC-Authentication-Results: i=1; mx.google.com;',
  '       dkim=pass header.i=@example.jp header.s=202611 header.b=Xy12;',
  '       spf=pass (google.com: domain of taro@example.jp designates 203.0.113.25 as permitted sender) smtp.mailfrom=taro@example.jp;',
  '       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.jp',
  'Return-Path: <taro@example.jp>',
  'Received-SPF: pass (google.com: domain of taro@example.jp designates 203.0.113.25 as permitted sender) client-ip=203.0.113.25;',
  'Authentication-Results: mx.google.com;',
  '       dkim=pass header.i=@example.jp header.s=202611 header.b=Xy12;',
  '       spf=pass (google.com: domain of taro@example.jp designates 203.0.113.25 as permitted sender) smtp.mailfrom=taro@example.jp;',
  '       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.jp',
  'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=example.jp;',
  '\ts=202611; t=1795000000;',
  '\th=From:To:Subject:Date; bh=abc=; b=def=',
  'From: Taro <taro@example.jp>',
  'Subject: test',
  '',
  'Authentication-Results: not.a.header; dkim=fail',
].join('\r\n');

describe('header explainer', () => {
  it('unfolds header fields and stops at the body', () => {
    const fields = parseHeaderFields(gmail);
    expect(fields.map((f) => f.name)).toContain('DKIM-Signature');
    expect(fields.find((f) => f.name === 'DKIM-Signature')?.value).toBe('v=1; a=rsa-sha256; c=relaxed/simple; d=example.jp; s=202611; t=1795000000; h=From:To:Subject:Date; bh=abc=; b=def=');
    expect(fields.filter((f) => f.name === 'Authentication-Results')).toHaveLength(1);
  });

  it('parses Authentication-Results with comments and properties', () => {
    const parsed = parseAuthenticationResults('mx.google.com; dkim=pass header.i=@example.jp header.s=202611; spf=softfail (google.com: domain of transitioning a@b.jp does not designate 198.51.100.7 as permitted sender) smtp.mailfrom=a@b.jp; dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from=b.jp');
    expect(parsed.server).toBe('mx.google.com');
    expect(parsed.results.map((r) => [r.method, r.result])).toEqual([['dkim', 'pass'], ['spf', 'softfail'], ['dmarc', 'fail']]);
    expect(parsed.results[2]?.props['header.from']).toBe('b.jp');
    expect(parsed.results[1]?.comments[0]).toContain('198.51.100.7');
  });

  it('explains a Gmail message in plain words', () => {
    const explained = explainHeaders(gmail);
    expect(explained.verdict).toEqual({ server: 'mx.google.com', dkim: 'pass', spf: 'pass', dmarc: 'pass' });
    const texts = explained.items.map((i) => `${i.header}|${i.status}|${i.text.text}`);
    expect(texts).toContain('Authentication-Results|pass|DKIM pass: signature of example.jp, selector 202611 (checked by mx.google.com)');
    expect(texts).toContain('Authentication-Results|pass|SPF pass: envelope sender domain example.jp, sending address 203.0.113.25 (checked by mx.google.com)');
    expect(texts).toContain('Authentication-Results|pass|DMARC pass: From domain example.jp, its policy p=none (checked by mx.google.com)');
    expect(texts).toContain('Received-SPF|pass|SPF pass for sending address 203.0.113.25 (envelope sender ?)');
    expect(texts).toContain('DKIM-Signature|unknown|Signed by example.jp with selector 202611 (rsa-sha256), covering: From, To, Subject, Date');
    expect(texts).toContain('ARC-Seal|unknown|ARC seal #1 by google.com: chain none');
    expect(explained.items.find((i) => i.text.key === 'explainDmarc')?.meaning?.key).toBe('meaningDmarcPass');
  });

  it('explains failures with their meaning', () => {
    const explained = explainHeaders('Authentication-Results: mx.example.net; dkim=fail (bad signature) header.d=example.jp header.s=old; spf=none smtp.mailfrom=example.jp; dmarc=fail header.from=example.jp\n');
    expect(explained.items.map((i) => [i.status, i.meaning?.key])).toEqual([
      ['fail', 'meaningDkimFail'],
      ['unknown', 'meaningSpfNone'],
      ['fail', 'meaningDmarcFail'],
    ]);
  });

  it('says so when nothing is there to explain', () => {
    expect(explainHeaders('Subject: hello\n\nbody').items.map((i) => i.text.key)).toEqual(['explainNothing']);
  });
});
