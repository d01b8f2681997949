import path from 'node:path';
import { verifyDnsInput, type VerifyReport } from '../../../shared/contract/verify.js';
import { zodBadInput } from '../../../shared/validation/zodIssue.js';
import { loadDkimKeyFile, parseDkimSpec } from '../../services/keys/index.js';
import { verifyDns, waitForDns, type VerifyDnsOptions } from '../../services/verify/verifyDns.js';
import { judgeRequirements, requirementFacts } from '../../services/outbound/requirements.js';
import { formatRequirements } from './requirements.js';
import { defaultHistoryFile, recordQuietly, verifyRun } from '../../services/watch/record.js';
import { checkLines, summaryLine } from '../../../shared/i18n/checkLines.js';
import { cliText } from '../language.js';
import { cliError, flagOf, parseCommandArgs, usageHint, writeErrorLine, writeJson, writeLine, writeLines, type CliIO, type Command } from '../command.js';

interface DkimArg {
  selector: string;
  publicKey: string | null;
  keyType: 'rsa' | 'ed25519' | null;
}

/** `--dkim S:FILE`: the selector and the public half of the private key in FILE. */
async function readDkimArg(value: string, domain: string, cwd: string): Promise<DkimArg> {
  const spec = parseDkimSpec(value);
  const key = await loadDkimKeyFile(spec.selector, path.resolve(cwd, spec.file), domain);
  return { selector: key.selector, publicKey: key.publicKeyBase64, keyType: key.type };
}

/**
 * The checks, then the senders' requirements judged from these DNS checks alone (the server's
 * TLS and own reverse name need `homemail requirements --ssh`); the section never changes the exit code.
 */
export function printReport(io: CliIO, report: VerifyReport): void {
  const text = cliText(io.env);
  const primary = report.resolvers.find((r) => r.primary);
  writeLine(io, primary ? text.t('verify.cliHeadingJudged', { domain: report.domain, resolver: primary.label }) : text.t('verify.cliHeading', { domain: report.domain }));
  writeLine(io);
  for (const check of report.checks) writeLines(io, checkLines(check, text));
  writeLine(io);
  writeLine(io, summaryLine(report.summary, text));
  writeLine(io, text.t('verify.cliTiming', { queries: report.timing.queries, ms: report.timing.wallMs, slowest: report.timing.slowestQueryMs }));
  writeLine(io);
  writeLine(io, `${text.t('requirements.heading')}: ${report.domain}`);
  writeLine(io, text.t('requirements.dnsOnlyVerify', { domain: report.domain }));
  writeLine(io);
  writeLines(io, formatRequirements(judgeRequirements(requirementFacts(report, null)), text));
}

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify --domain D [--dkim S:FILE | --selector S]… [--ip ADDR]… [--resolver ADDR[:PORT]]… [--wait SECONDS] [--no-blocklists] [--json]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      domain: { type: 'string' },
      dkim: { type: 'string', multiple: true },
      selector: { type: 'string', multiple: true },
      ip: { type: 'string', multiple: true },
      resolver: { type: 'string', multiple: true },
      wait: { type: 'string' },
      'no-blocklists': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.domain === undefined) throw cliError('usage', 'cliRequired', { option: '--domain' }, { field: 'domain', hint: usageHint(this.usage) });
    if (values.wait !== undefined && !/^\d{1,4}$/.test(values.wait)) throw cliError('bad-input', 'cliWholeNumber', { option: '--wait', value: values.wait }, { field: 'wait' });
    const dkim: DkimArg[] = [];
    for (const value of values.dkim ?? []) dkim.push(await readDkimArg(value, values.domain, io.cwd));
    for (const selector of values.selector ?? []) dkim.push({ selector, publicKey: null, keyType: null });
    const raw = {
      domain: values.domain,
      dkim,
      addresses: values.ip ?? [],
      resolvers: values.resolver ?? [],
      checkBlocklists: values['no-blocklists'] !== true,
      waitSeconds: values.wait === undefined ? 0 : Number(values.wait),
    };
    const parsed = verifyDnsInput.safeParse(raw);
    if (!parsed.success) throw zodBadInput(parsed.error, raw, flagOf({ waitSeconds: 'wait' }));
    const input = parsed.data;
    const json = values.json === true;
    const options: VerifyDnsOptions = {
      domain: input.domain,
      dkim: input.dkim,
      addresses: input.addresses,
      resolvers: input.resolvers,
      checkBlocklists: input.checkBlocklists,
      onProgress: (event) => {
        if (json || event.kind !== 'round') return;
        const text = cliText(io.env);
        const waiting = [...event.failing, ...event.behind.map((b) => text.t('verify.cliBehind', { record: b.record, resolver: b.resolver }))];
        writeErrorLine(io, waiting.length === 0 ? text.t('verify.cliRoundSettled', { round: event.round }) : text.t('verify.cliRound', { round: event.round, waiting: waiting.join('; ') }));
      },
    };
    const report = input.waitSeconds > 0 ? await waitForDns(options, { waitSeconds: input.waitSeconds, intervalSeconds: input.intervalSeconds }) : await verifyDns(options);
    recordQuietly(defaultHistoryFile(io.env), verifyRun(report, new Date().toISOString()));
    if (json) writeJson(io, { ...report, requirements: judgeRequirements(requirementFacts(report, null)) });
    else printReport(io, report);
    return report.ok ? 0 : 1;
  },
};
