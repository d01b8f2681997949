import path from 'node:path';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { parseIpAddress } from '../../../shared/validation/ip.js';
import { orThrow } from '../../../shared/validation/problem.js';
import { normalizeSelector } from '../../../shared/validation/selector.js';
import { parseSshTarget } from '../../../shared/validation/sshTarget.js';
import { parseResolverAddress } from '../../../shared/verify/resolverAddress.js';
import type { WatchChange, WatchRunResult, WatchSkip } from '../../../shared/watch.js';
import { errorMessageText, watchChangeText, watchSkipDetail } from '../../../shared/i18n/keyedText.js';
import { cliText, type CliText } from '../language.js';
import { defaultDataDir } from '../../services/deps.js';
import { parseDkimSpec } from '../../services/keys/index.js';
import { knownHostsPath } from '../../services/ssh/paths.js';
import { defaultHistoryFile, historyStoreAt } from '../../services/watch/record.js';
import { watchTargets } from '../../services/watch/runWatch.js';
import { oneLine, cliError, parseCommandArgs, usageHint, writeJson, writeLine, type CliIO, type Command } from '../command.js';

export function printChanges(io: CliIO, changes: readonly WatchChange[], text: CliText): void {
  if (changes.length === 0) writeLine(io, `  ${text.t('cli.watch.noChange')}`);
  for (const change of changes) writeLine(io, `  [${text.t(`cli.watch.severity.${change.severity}`)}] ${oneLine(watchChangeText(text, change))}`);
}

/** A check a run could not make, in the Status page's words (`watch.skip.<what>`) and the reason the back end gave. */
export function skipLine(skipped: WatchSkip, text: CliText): string {
  const what = text.t(`watch.skip.${skipped.what}`);
  const detail = watchSkipDetail(text.keyed, skipped);
  return `  ${text.t('cli.watch.skipped', { text: oneLine(detail === '' ? what : `${what}: ${detail}`) })}`;
}

export function printRun(io: CliIO, result: WatchRunResult, text: CliText): void {
  for (const target of result.targets) {
    writeLine(io, `${target.domain}${target.server ? ` (${target.server})` : ''}`);
    if (target.failed !== null) writeLine(io, `  ${text.t('cli.watch.failed', { reason: oneLine(target.failure ? errorMessageText(text.keyed, target.failure) : target.failed) })}`);
    else printChanges(io, target.changes, text);
    for (const skipped of target.skipped) writeLine(io, skipLine(skipped, text));
  }
  writeLine(io);
  writeLine(io, text.t(result.worse ? 'cli.watch.worse' : 'cli.watch.notWorse'));
}

export const watchCommand: Command = {
  name: 'watch',
  usage:
    'watch --once [--domain D [--ssh [user@]host[:port] [-i FILE] [--known-hosts FILE] [--accept-new-host-key]] [--dkim S:FILE | --selector S]… [--ip ADDR]… [--resolver ADDR[:PORT]]…] [--json]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(this, argv, {
      once: { type: 'boolean' },
      domain: { type: 'string' },
      ssh: { type: 'string' },
      identity: { type: 'string', short: 'i' },
      'known-hosts': { type: 'string' },
      'accept-new-host-key': { type: 'boolean' },
      dkim: { type: 'string', multiple: true },
      selector: { type: 'string', multiple: true },
      ip: { type: 'string', multiple: true },
      resolver: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    });
    if (values.once !== true) {
      throw cliError('usage', 'cliWatchOnce', {}, { hint: usageHint(this.usage) });
    }
    const targetOptions = [values.ssh, values.identity, values.dkim, values.selector, values.ip, values.resolver].some((v) => v !== undefined);
    if (values.domain === undefined && targetOptions) throw cliError('usage', 'cliWatchNeedsDomain', {}, { hint: usageHint(this.usage) });
    const store = historyStoreAt(defaultHistoryFile(io.env));
    const now = new Date();
    const domain = values.domain === undefined ? undefined : orThrow('domain', normalizeDomain(values.domain));
    if (domain !== undefined) {
      if (values.ssh !== undefined) parseSshTarget(values.ssh, 'ssh');
      if (values.identity !== undefined && values.ssh === undefined) throw cliError('bad-input', 'cliIdentityNeedsSsh', {}, { field: 'identity' });
      const dkimFiles = (values.dkim ?? []).map((spec) => {
        const parsed = parseDkimSpec(spec);
        return `${parsed.selector}:${path.resolve(io.cwd, parsed.file)}`;
      });
      const selectors = (values.selector ?? []).map((s) => orThrow('selector', normalizeSelector(s)));
      const addresses = (values.ip ?? []).map((ip) => orThrow('ip', parseIpAddress(ip)).address);
      for (const text of values.resolver ?? []) {
        if (!parseResolverAddress(text)) throw cliError('bad-input', 'cliResolver', { value: text }, { field: 'resolver' });
      }
      store.saveTarget(
        {
          domain,
          ssh: values.ssh ?? null,
          identityFile: values.identity === undefined ? null : path.resolve(io.cwd, values.identity),
          selectors,
          dkimFiles,
          resolvers: values.resolver ?? [],
          addresses,
        },
        now.toISOString(),
      );
    }
    const saved = store.targets();
    const targets = domain === undefined ? saved : saved.filter((t) => t.domain === domain && t.ssh === (values.ssh ?? null));
    if (targets.length === 0) {
      throw cliError('usage', 'cliWatchNoTarget', {}, { hint: usageHint(this.usage) });
    }
    const knownHostsFile = values['known-hosts'] === undefined ? knownHostsPath(defaultDataDir(io.env)) : path.resolve(io.cwd, values['known-hosts']);
    const result = await watchTargets(targets, {
      store,
      now: () => now,
      env: io.env,
      knownHostsFile,
      acceptNewHostKey: values['accept-new-host-key'] === true,
    });
    if (values.json) writeJson(io, result);
    else printRun(io, result, cliText(io.env));
    return result.worse || result.targets.some((t) => t.failed !== null) ? 1 : 0;
  },
};
