import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyResult } from '../../../shared/plan.js';
import { useKeyedText } from '../text.js';
import { usePages } from '../wizard/pages.js';

interface Props {
  result: { changed: boolean; backupId: string | null } & Partial<Pick<ApplyResult, 'warnings'>>;
  /** What was done (shown when something changed). */
  doneText: string;
  /** How to undo it, before the link to the Changes page (shown when there is a backup). */
  undoText: string;
  children?: ReactNode;
}

/** The outcome of a live apply: what changed, anything the step adds, and where to undo it. */
export function AppliedNotice({ result, doneText, undoText, children }: Props) {
  const { t } = useTranslation();
  const text = useKeyedText();
  const pages = usePages();
  return (
    <div className="notice ok" role="status">
      <p>{result.changed ? doneText : t('apply.nothingToDo')}</p>
      {(result.warnings ?? []).map((warning, index) => (
        <p key={index} className="detail warning">
          {text('words.serviceErrors.reason', warning)}
        </p>
      ))}
      {children}
      {result.backupId && (
        <p>
          {undoText}{' '}
          <button type="button" className="link" onClick={() => pages.open('changes')}>
            {t('pages.changes.link')}
          </button>
        </p>
      )}
    </div>
  );
}
