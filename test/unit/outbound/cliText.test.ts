// homemail outbound and requirements as text, in the person's language (LANG): the same
// report in Japanese has no English sentence, in English the contract's words. Reports are
// judged from the probe script's own line format (as in classify.test.ts).
import { describe, expect, it } from 'vitest';
import { formatOutbound } from '../../../main/cli/commands/outbound.js';
import { formatRequirements } from '../../../main/cli/commands/requirements.js';
import { cliText } from '../../../main/cli/language.js';
import { judgeOutbound } from '../../../main/services/outbound/classify.js';
import { parseProbeOutput } from '../../../main/services/outbound/probe.js';
import { judgeRequirements, requirementFacts } from '../../../main/services/outbound/requirements.js';
import { englishSentences } from '../../support/englishSentences.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const probe = [
  'HOMEMAIL-POSTCONF',
  'myhostname = mail.example.jp',
  'smtp_helo_name = mail.example.jp',
  'smtp_tls_security_level = may',
  'HOMEMAIL-FACTS',
  'dig yes',
  'mx NOERROR 5 gmail-smtp-in.l.google.com.',
  'target gmail-smtp-in.l.google.com 192.0.2.27',
  'port 25 timeout ',
  `port 587 banner ${b64('220 smtp.example ESMTP')}`,
  'echo 192.0.2.53 TIMEOUT ',
  'starttls offered',
  'HOMEMAIL-END',
].join('\n');

async function report() {
  return judgeOutbound(parseProbeOutput(probe), { probeDomain: 'gmail.com', policyZone: 'zen.spamhaus.org', echoes: [], now: new Date(), roundTrips: 1 });
}

describe('outbound and requirements as text', () => {
  it('speaks Japanese under LANG=ja_JP.UTF-8, with no English sentence', async () => {
    const ja = cliText({ LANG: 'ja_JP.UTF-8' });
    const outbound = formatOutbound(await report(), ja).join('\n');
    expect(outbound).toContain('ポート 25 は遮断されています: gmail-smtp-in.l.google.com はポート 25 では応答せず、ポート 587 では応答しました。');
    expect(outbound).toContain('タイムアウト');
    expect(englishSentences(outbound)).toEqual([]);
    const rows = judgeRequirements(requirementFacts(null, await report()));
    const requirements = formatRequirements(rows, ja).join('\n');
    expect(requirements).toContain('出典: https://support.google.com/a/answer/81126');
    expect(requirements).toContain('メールの送信に TLS 接続を使うこと。\n      対象: すべての送信者');
    expect(requirements).not.toContain('。 (');
    expect(englishSentences(requirements)).toEqual([]);
  });

  it('speaks English under LANG=C', async () => {
    const en = cliText({ LANG: 'C' });
    const outbound = formatOutbound(await report(), en).join('\n');
    expect(outbound).toContain('Port 25 is blocked: gmail-smtp-in.l.google.com did not answer on port 25, but did on port 587.');
    expect(outbound).toContain('port 25 to gmail-smtp-in.l.google.com (192.0.2.27): timed out, while port 587 on the same host answered');
    expect(outbound).toContain('Public address, as the server sees it: unknown');
    const rows = judgeRequirements(requirementFacts(null, await report()));
    expect(formatRequirements(rows, en).join('\n')).toContain('✓ [OK] Use a TLS connection for transmitting email.\n      Applies to: every sender');
  });
});
