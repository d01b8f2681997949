import { useTranslation } from 'react-i18next';
import type { RotationStatus } from '../../../shared/rotation.js';
import { usePages } from '../wizard/pages.js';

/** The signing key's age and next suggested rotation, a rotation in progress with its next step and earliest date, and the way to the Rotation page. */
export function RotationSummary({ status, host }: { status: RotationStatus; host?: string }) {
  const { t, i18n } = useTranslation();
  const pages = usePages();
  const day = (iso: string) => new Date(iso).toLocaleDateString(i18n.language, { year: 'numeric', month: 'long', day: 'numeric' });
  const inProgress = status.state !== null && !status.finished && status.next !== null && status.earliest !== null;
  return (
    <div className="rotation-summary" data-rotation-domain={status.domain}>
      {host !== undefined && <p className="help">{t('rotationSummary.where', { domain: status.domain, host })}</p>}
      {status.key && <p data-key-age>{t('rotation.keyAge', { selector: status.key.selector, since: day(status.key.since), next: day(status.key.suggestedRotation) })}</p>}
      {inProgress && status.next !== null && (
        <p className="notice info" data-rotation-next={status.next}>
          {t('rotationSummary.inProgress', { step: t(`rotation.step.${status.next}.title`), date: day(status.earliest ?? '') })}
        </p>
      )}
      <button type="button" className="link" onClick={() => pages.open('rotation')}>
        {inProgress ? t('rotationSummary.continue') : t('rotationSummary.open')}
      </button>
    </div>
  );
}
