import { useTranslation } from 'react-i18next';

interface Props {
  label: string;
  detail?: string | undefined;
  /** 0..1 when the amount of work is known. */
  fraction?: number | undefined;
  onCancel?: () => void;
}

/** A slow call in progress: what is happening, how far along, and a way to stop it. */
export function Busy({ label, detail, fraction, onCancel }: Props) {
  const { t } = useTranslation();
  return (
    <div className="busy" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <div className="busy-text">
        <p>{label}</p>
        {detail && <p className="help">{detail}</p>}
        {fraction !== undefined && <progress max={1} value={fraction} aria-label={label} />}
      </div>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      )}
    </div>
  );
}
