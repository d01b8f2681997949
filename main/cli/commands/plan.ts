import { loadDkimKeyFile, parseDkimSpec } from '../../services/keys/index.js';
import type { ChangeSettings } from '../../services/dkim/desired.js';
import { checkChangeSettings, type RawChangeSettings } from '../../services/dkim/settings.js';
import type { RemoteSession } from '../../services/ssh/types.js';
import { planChanges, type DnsCheckOptions } from '../../services/dkim/dkim.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { orThrow } from '../../../shared/validation/problem.js';
import { cliText } from '../language.js';
import { formatPlan } from '../planText.js';
import { cliError, parseCommandArgs, usageHint, writeJson, writeLine, writeText, type CliIO, type Command } from '../command.js';
import { connectFromCli, readSshOptions, sshOptionSpec, sshUsage, type SshCliOptions } from '../sshOptions.js';

/** plan's and apply's options (apply adds nothing but its effect). */
export const changeOptionSpec = {
  ...sshOptionSpec,
  domain: { type: 'string' },
  dkim: { type: 'string', multiple: true },
  rua: { type: 'string', multiple: true },
  ruf: { type: 'string', multiple: true },
  'report-to': { type: 'string' },
  resolver: { type: 'string', multiple: true },
  'skip-dns-check': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const changeUsage = `${sshUsage} --domain D --dkim S:FILE… [--rua ADDR] [--ruf ADDR] [--report-to USER] [--resolver ADDR[:PORT]]… [--skip-dns-check] [--json]`;

export interface ChangeCliInput {
  ssh: SshCliOptions;
  raw: RawChangeSettings;
  dns: DnsCheckOptions;
  json: boolean;
}

/** The settings once connected: --report-to defaults to the SSH login user. */
export function settingsFor(input: ChangeCliInput, session: RemoteSession): ChangeSettings {
  return checkChangeSettings(input.raw, session.target.user);
}

/** Reads and checks every option and key file before connecting (exit 2 on bad input). */
export async function readChangeOptions(command: Pick<Command, 'name' | 'usage'>, argv: string[], io: CliIO): Promise<ChangeCliInput> {
  const { values } = parseCommandArgs(command, argv, changeOptionSpec);
  const ssh = readSshOptions(values, io);
  if (values.domain === undefined) throw cliError('bad-input', 'cliRequired', { option: '--domain' }, { field: 'domain', hint: usageHint(command.usage) });
  const domain = orThrow('domain', normalizeDomain(values.domain));
  if (!values.dkim || values.dkim.length === 0) throw cliError('bad-input', 'cliRequired', { option: '--dkim SELECTOR:FILE' }, { field: 'dkim', hint: usageHint(command.usage) });
  const keys = [];
  for (const spec of values.dkim) {
    const { selector, file } = parseDkimSpec(spec);
    keys.push(await loadDkimKeyFile(selector, file.startsWith('/') ? file : `${io.cwd}/${file}`, domain));
  }
  const resolvers = values.resolver ?? [];
  for (const text of resolvers) if (parseResolverAddress(text) === null) throw cliError('bad-input', 'cliResolver', { value: text }, { field: 'resolver' });
  const raw: RawChangeSettings = { domain, keys, rua: values.rua, ruf: values.ruf, reportTo: values['report-to'] };
  checkChangeSettings(raw, ssh.target.user ?? 'root');
  return { ssh, raw, dns: { resolvers, skip: values['skip-dns-check'] === true }, json: values.json === true };
}

export const planCommand: Command = {
  name: 'plan',
  usage: `plan ${changeUsage}`,
  async run(argv: string[], io: CliIO): Promise<number> {
    const input = await readChangeOptions(this, argv, io);
    const session = await connectFromCli(input.ssh, io);
    try {
      const { plan } = await planChanges(session, settingsFor(input, session), { dns: input.dns });
      if (input.json) writeJson(io, { ok: true, plan, changed: plan.changed, roundTrips: session.roundTrips });
      else {
        const text = cliText(io.env);
        writeText(io, formatPlan(plan, text));
        writeLine(io, plan.changed ? text.t('cli.plan.runApply') : '');
      }
      return 0;
    } finally {
      await session.close();
    }
  },
};
