import { createTwoFilesPatch } from 'diff';
import { planText } from '../../../shared/i18n/english.js';
import type { InterruptedApply, Plan, PlannedCommand, PlannedFile } from '../../../shared/plan.js';
import { commandLine } from '../../services/ssh/quote.js';
import type { ChangeSet } from './changeSet.js';

function unifiedDiff(path: string, before: string, after: string, created: boolean): string {
  return createTwoFilesPatch(created ? '/dev/null' : `a${path}`, `b${path}`, before, after, undefined, undefined, { context: 3 });
}

/** The reviewable plan: file edits as unified diffs (no key material), commands in words. */
export function buildPlan(changes: ChangeSet, context: { host: string; domain: string; interrupted: InterruptedApply[] }): Plan {
  const files: PlannedFile[] = changes.files.map((f) => {
    const created = !f.before?.exists;
    if (f.remove === true) {
      const diff = f.secret ? `delete ${f.path} (${f.password ? 'password' : 'private key'}, not shown; kept in the backup)\n` : unifiedDiff(f.path, f.before?.content ?? '', '', false);
      return { path: f.path, kind: 'delete', owner: f.owner, group: f.group, mode: f.mode, secret: f.secret, ...(f.password ? { password: true as const } : {}), diff, why: f.why };
    }
    const diff = f.password
      ? `${created ? 'create' : 'replace'} ${f.path} (password, not shown)\n`
      : f.secret
      ? `${created ? 'create' : 'replace'} ${f.path} (private key, ${f.content.length} bytes, not shown)\n`
      : unifiedDiff(f.path, f.before?.content ?? '', f.content, created);
    return { path: f.path, kind: created ? 'create' : 'modify', owner: f.owner, group: f.group, mode: f.mode, secret: f.secret, ...(f.password ? { password: true as const } : {}), diff, why: f.why };
  });
  const commands: PlannedCommand[] = [];
  if (changes.install.length > 0) {
    const pkgs = changes.install.join(' ');
    commands.push({
      kind: 'install-packages',
      command: `apt-get install -y --no-install-recommends ${pkgs}`,
      words: planText('installPackages', { packages: pkgs }),
    });
  }
  for (const d of changes.dirs) {
    commands.push({
      kind: 'create-directory',
      command: `install -d -o ${d.owner} -g ${d.group} -m ${d.mode} ${d.path}`,
      words: planText('createDirectory', { path: d.path, owner: d.owner, group: d.group, mode: d.mode }),
    });
  }
  if (changes.aliasesChanged) commands.push({ kind: 'newaliases', command: 'newaliases', words: planText('newaliases') });
  for (const v of changes.validate) commands.push({ kind: 'validate', command: commandLine(v.argv), words: v.words });
  for (const s of changes.services) {
    const kind = s.argv.includes('reload') ? 'reload-service' : s.argv.includes('start') ? 'start-service' : 'restart-service';
    commands.push({ kind, command: commandLine(s.argv), words: s.words });
  }
  const m = changes.healthMail;
  const r = changes.healthRelay;
  if (r) commands.push({
    kind: 'health-check',
    command: `sendmail -bv ${r.recipient}`,
    words: planText('healthCheckRelay', { relay: r.relay, recipient: r.recipient }),
  });
  else if (m === null) commands.push({ kind: 'health-check', command: 'postfix status', words: planText('healthCheckPostfix') });
  else commands.push({
    kind: 'health-check',
    command: `sendmail -f ${m.from} ${m.to}`,
    words: planText('healthCheck', { socket: changes.socket, from: m.from, to: m.to, selector: m.selectors.join(', '), domain: m.domain }),
  });
  const c = changes.healthCertificate;
  if (c) commands.push({
    kind: 'health-check',
    command: 'openssl s_client -starttls smtp -connect SMTPD-PORT-25-ADDRESS',
    words: planText('healthCheckCertificate', { certificate: c.certificate }),
  });
  return {
    host: context.host,
    domain: context.domain,
    changed: changes.changed,
    files: changes.changed ? files : [],
    commands: changes.changed ? commands : [],
    backedUp: changes.files.filter((f) => f.before?.exists).map((f) => f.path),
    notes: changes.notes,
    opendkimSocket: changes.socket,
    milter: changes.milter,
    interrupted: context.interrupted,
  };
}
