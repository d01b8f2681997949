import { useTranslation } from 'react-i18next';
import type { Check, CheckStatus } from '../../../shared/checks.js';
import { useKeyedText } from '../text.js';

const icons: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?' };
const order: Record<CheckStatus, number> = { fail: 0, warn: 1, unknown: 2, pass: 3 };

export function StatusBadge({ status }: { status: CheckStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${status}`}>
      <span aria-hidden="true">{icons[status]} </span>
      {t(`verify.status.${status}`)}
    </span>
  );
}

/** Checks, worst first: what was checked, what was found, and for each failure its fix. */
export function CheckList({ checks }: { checks: readonly Check[] }) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const sorted = [...checks].sort((a, b) => order[a.status] - order[b.status]);
  return (
    <ul className="checks">
      {sorted.map((check) => (
        <li key={check.id} className={`check ${check.status}`} data-check={check.id} data-status={check.status}>
          <div className="check-head">
            <StatusBadge status={check.status} />
            <span className="check-title">{text('checks', check.title)}</span>
          </div>
          {check.found && (
            <p>
              <span className="label">{t('verify.found')}:</span> {text('checks', check.found)}
            </p>
          )}
          {check.status !== 'pass' && check.expected && (
            <p>
              <span className="label">{t('verify.expected')}:</span> {text('checks', check.expected)}
            </p>
          )}
          {check.status !== 'pass' && check.fix && (
            <p className="fix">
              <span className="label">{t('verify.fix')}:</span> {text('checks', check.fix)}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
