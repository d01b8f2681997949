import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupEntry } from '../../../shared/backups.js';
import { Busy } from '../components/Busy.js';
import { Choice } from '../components/Choice.js';
import { Diff } from '../components/Diff.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useCall } from '../hooks/useCall.js';
import { useWizard } from '../wizard/state.js';

function RestoreReview({ backup, newerKept, sessionId, onRestored }: { backup: BackupEntry; newerKept: boolean; sessionId: string; onRestored: () => void }) {
  const { t } = useTranslation();
  const { values, update } = useWizard();
  const rollback = useCall('rollbackChanges');
  const [confirmed, setConfirmed] = useState(false);
  const host = values.inspection?.target.host ?? values.sshTarget;

  const restore = () => {
    void rollback.run({ sessionId, backupId: backup.id }).then((result) => {
      if (!result) return;
      // What the wizard remembers of that apply no longer holds: work the plans out again.
      if (values.applied?.backupId === backup.id) update({ plan: null, applied: null });
      if (values.inboundApplied?.backupId === backup.id) update({ inboundApplied: null });
      onRestored();
    });
  };

  return (
    <div className="restore-review">
      <h3>{t('changes.reviewHeading', { id: backup.id })}</h3>
      <p className="help">{t('changes.reviewHelp')}</p>
      {newerKept && <p className="notice warn">{t('changes.newerKept')}</p>}
      <ul className="file-changes">
        {backup.files.map((file) => (
          <li key={file.path} className="file-change">
            <h4>
              <code>{file.path}</code> <span className="badge info">{t(`changes.action.${file.action}`)}</span>
            </h4>
            {file.diff === null ? <p className="help">{t('changes.ownerOnly')}</p> : file.diff === '' ? <p className="help">{t('changes.sameAlready')}</p> : <Diff diff={file.diff} />}
          </li>
        ))}
      </ul>
      {backup.packages.length > 0 && <p>{t('changes.packages', { packages: backup.packages.join(', ') })}</p>}
      <p className="help">{t('changes.reload')}</p>
      {rollback.state.status === 'loading' && <Busy label={t('changes.restoring', { id: backup.id })} detail={t('apply.dontClose')} />}
      {rollback.state.status === 'error' && <ErrorNotice error={rollback.state.error} onRetry={restore} />}
      {rollback.state.status !== 'loading' && (
        <div className="confirm">
          <Choice type="checkbox" label={t('changes.confirmLabel', { id: backup.id, host })} checked={confirmed} onChange={setConfirmed} />
          <button type="button" className="primary" disabled={!confirmed} onClick={restore}>
            {t('changes.restoreButton')}
          </button>
        </div>
      )}
    </div>
  );
}

/** "Changes made": the backups earlier applies left on the server, each restorable after a review. */
export function ChangesPage({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const list = useCall('listBackups');
  const { run } = list;
  const [open, setOpen] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);

  useEffect(() => {
    void run({ sessionId });
  }, [run, sessionId]);

  const when = (ms: number | null) =>
    ms === null ? t('changes.unknownDate') : new Date(ms).toLocaleString(i18n.language, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const backups = list.state.status === 'done' ? list.state.result.backups : [];

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('pages.changes.heading')}
      </h1>
      <p>{t('changes.intro')}</p>
      {restored !== null && (
        <p className="notice ok" role="status">
          {t('changes.restored', { id: restored })}
        </p>
      )}
      {list.state.status === 'loading' && <Busy label={t('changes.loading')} onCancel={list.cancel} />}
      {list.state.status === 'error' && <ErrorNotice error={list.state.error} onRetry={() => void run({ sessionId })} />}
      {list.state.status === 'done' && backups.length === 0 && <p className="notice info">{t('changes.none')}</p>}
      {backups.length > 0 && (
        <ul className="backups">
          {backups.map((backup, index) => (
            <li key={backup.id} className="backup" data-backup={backup.id}>
              <h2>
                {when(backup.startedAtMs)} <span className={`badge ${backup.state === 'done' ? 'pass' : backup.state.endsWith('failed') ? 'fail' : 'info'}`}>{t(`changes.state.${backup.state}`)}</span>
              </h2>
              <p className="help">{t('changes.applyId', { id: backup.id })}</p>
              <p>{t('changes.files', { count: backup.files.length })}</p>
              <ul className="paths">
                {backup.files.map((file) => (
                  <li key={file.path}>
                    <code>{file.path}</code> {file.action === 'remove' ? t('changes.created') : ''}
                  </li>
                ))}
              </ul>
              {backup.restorable &&
                (open === backup.id ? (
                  <RestoreReview
                    backup={backup}
                    newerKept={backups.slice(0, index).some((b) => b.restorable)}
                    sessionId={sessionId}
                    onRestored={() => {
                      setOpen(null);
                      setRestored(backup.id);
                      void run({ sessionId });
                    }}
                  />
                ) : (
                  <button type="button" onClick={() => setOpen(backup.id)}>
                    {t('changes.reviewButton')}
                  </button>
                ))}
            </li>
          ))}
        </ul>
      )}
      {list.state.status === 'done' && (
        <button type="button" className="secondary" onClick={() => void run({ sessionId })}>
          {t('changes.again')}
        </button>
      )}
    </section>
  );
}
