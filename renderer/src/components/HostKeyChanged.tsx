import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SerializedError } from '../../../shared/errors.js';
import { useCall } from '../hooks/useCall.js';
import { Choice } from './Choice.js';
import { ErrorNotice } from './ErrorNotice.js';

interface Props {
  error: SerializedError;
  target: string;
  /** Connect again once the old key is forgotten: the new key then asks for consent like a first connection. */
  onForgotten: () => void;
}

/**
 * A changed host key: a full stop, then — only if the person confirms the new fingerprint
 * out of band (the server's console, the hosting panel) — a way to forget the old key.
 * Never automatic.
 */
export function HostKeyChanged({ error, target, onForgotten }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const forget = useCall('forgetHostKey');
  const [confirmed, setConfirmed] = useState(false);
  const [notOurs, setNotOurs] = useState(false);
  const fingerprint = typeof error.details?.fingerprint === 'string' ? error.details.fingerprint : null;
  const file = typeof error.details?.knownHostsFile === 'string' ? error.details.knownHostsFile : null;
  const host = typeof error.details?.host === 'string' ? error.details.host : target;

  const forgetOld = () => {
    void forget.run({ target }).then((result) => {
      if (!result) return;
      if (result.removed > 0) onForgotten();
      else setNotOurs(true);
    });
  };

  return (
    <div className="notice stop" role="alert">
      <h2>{t('server.hostKeyChangedHeading')}</h2>
      <p>{t('server.hostKeyChangedBody')}</p>
      <p>{t('server.hostKeyChangedWhat')}</p>
      {fingerprint && (
        <details className="host-key-confirm">
          <summary>{t('server.hostKeyConfirmHeading')}</summary>
          <p>{t('server.hostKeyConfirmHow')}</p>
          <pre>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</pre>
          <p id={`${id}-new`}>{t('server.hostKeyConfirmNew')}</p>
          <p className="fingerprint">
            <code aria-describedby={`${id}-new`} data-testid="changed-host-fingerprint">
              {fingerprint}
            </code>
          </p>
          <Choice type="checkbox" label={t('server.hostKeyConfirmLabel')} checked={confirmed} onChange={setConfirmed} />
          <button type="button" disabled={!confirmed || forget.state.status === 'loading'} onClick={forgetOld}>
            {t('server.hostKeyForget')}
          </button>
          {notOurs && <p className="notice warn">{t('server.hostKeyNotOurs', { file: file ?? 'known_hosts', host })}</p>}
          {forget.state.status === 'error' && <ErrorNotice error={forget.state.error} />}
        </details>
      )}
    </div>
  );
}
