import { englishText } from '../../../shared/i18n/english.js';
import type { KnownIssue } from '../../../shared/reports.js';

/**
 * The SpamAssassin DKIM plugin warning from the manual procedure:
 * `Argument "1.20200513.1" isn't numeric in numeric ge (>=) at …/Plugin/DKIM.pm`. Mail::DKIM
 * moved to version numbers with two dots; older SpamAssassin compared them as numbers. Perl
 * still reads the leading "1.20200513", so DKIM checks work: it is noise, but noise that some
 * setups (amavisd-new) mail to the postmaster.
 */
export const SPAMASSASSIN_WARNING = "isn't numeric in numeric ge";

/** Debian/Ubuntu package versions (dpkg), null when not installed. */
export interface PerlMailVersions {
  spamassassin: string | null;
  mailDkim: string | null;
}

/** `3.4.4-1ubuntu1` → [3, 4, 4]; epochs and Debian revisions dropped. */
export function upstreamVersion(dpkgVersion: string): number[] {
  const noEpoch = dpkgVersion.replace(/^\d+:/, '');
  const upstream = noEpoch.replace(/-[^-]*$/, '');
  return upstream.split(/[.~+]/).map((p) => Number.parseInt(p, 10)).filter((n) => Number.isFinite(n));
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

const FIXED_SPAMASSASSIN = [3, 4, 5];

/** The issue's sentence and its fix: codes under `reports.issue.` with params, and their English. */
function issueText(code: string, params: Record<string, string | number>): Pick<KnownIssue, 'code' | 'params' | 'text' | 'fixCode' | 'fix'> {
  return { code, params, text: englishText('reports.issue', code, params), fixCode: 'spamassassinFix', fix: englishText('reports.issue', 'spamassassinFix') };
}

/**
 * Finds the warning in log lines (already filtered on the server) or predicts it from the
 * installed versions: a Mail::DKIM version with two dots beside a SpamAssassin before 3.4.5.
 */
export function detectSpamAssassinDkimWarning(logLines: readonly string[], versions: PerlMailVersions): KnownIssue | null {
  const seen = logLines.filter((line) => line.includes(SPAMASSASSIN_WARNING) && /DKIM/i.test(line));
  const dkimUpstream = versions.mailDkim === null ? null : versions.mailDkim.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
  const twoDots = dkimUpstream !== null && /^\d+\.\d+\.\d+/.test(dkimUpstream);
  const oldSpamAssassin = versions.spamassassin !== null && lessThan(upstreamVersion(versions.spamassassin), FIXED_SPAMASSASSIN);
  const evidence = [
    ...seen.slice(-3).map((line) => line.trim().slice(0, 300)),
    ...(versions.spamassassin === null ? [] : [`spamassassin ${versions.spamassassin}`]),
    ...(versions.mailDkim === null ? [] : [`libmail-dkim-perl ${versions.mailDkim}`]),
  ];
  if (seen.length > 0) {
    return {
      key: 'spamassassinDkimVersion',
      severity: 'warning',
      ...issueText('spamassassinSeen', { count: seen.length, version: dkimUpstream ?? '?' }),
      evidence,
    };
  }
  if (twoDots && oldSpamAssassin) {
    return {
      key: 'spamassassinDkimVersion',
      severity: 'info',
      ...issueText('spamassassinExpected', { spamassassin: versions.spamassassin ?? '', dkim: dkimUpstream ?? '' }),
      evidence,
    };
  }
  return null;
}
