import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectResult, PresentedHostKey } from '../../../shared/contract/session.js';
import { HomemailError, serializeError } from '../../../shared/errors.js';
import { errorMessageText } from '../../../shared/i18n/keyedText.js';
import { parseSshTarget } from '../../../shared/validation/sshTarget.js';
import { Busy } from '../components/Busy.js';
import { Choice } from '../components/Choice.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { HostKeyChanged } from '../components/HostKeyChanged.js';
import { KeyFilePicker } from '../components/KeyFilePicker.js';
import { SecretInput, type SecretHandle } from '../components/SecretInput.js';
import { useCall } from '../hooks/useCall.js';
import { forgetProfile, loadProfiles, profileOf, saveProfile, valuesFromProfile, type ServerProfile } from '../wizard/profiles.js';
import type { StepProps } from '../wizard/steps.js';
import { useWizard, type LoginMethod } from '../wizard/state.js';
import { useKeyedText } from '../text.js';

const methods: readonly LoginMethod[] = ['agent', 'key', 'password'];

/** Why the server address is refused, as the validator's code (rendered in the chosen language beside the field). */
function targetProblem(target: string): HomemailError | null {
  if (target.trim() === '') return null;
  try {
    parseSshTarget(target.trim());
    return null;
  } catch (error) {
    if (error instanceof HomemailError) return error;
    throw error;
  }
}

export function ServerStep({ goNext }: StepProps) {
  const { t } = useTranslation();
  const keyed = useKeyedText();
  const { values, update } = useWizard();
  const id = useId();
  // Held by their fields alone (never in state or the DOM), read when sent, cleared once connected.
  const password = useRef<SecretHandle>(null);
  const sudoPassword = useRef<SecretHandle>(null);
  const passphrase = useRef<SecretHandle>(null);
  const [pendingKey, setPendingKey] = useState<PresentedHostKey | null>(null);
  const [profiles, setProfiles] = useState<ServerProfile[]>(() => loadProfiles());
  const connect = useCall('connectServer');
  const disconnect = useCall('disconnectServer');
  const problem = targetProblem(values.sshTarget);
  // "ssh-agent or my usual keys": a key in ~/.ssh that needs its passphrase is asked for only then
  const needsPassphrase = connect.state.status === 'error' && connect.state.error.code === 'ssh-no-login-method' ? connect.state.error.details?.needsPassphrase : undefined;
  const [keyNeedingPassphrase, setKeyNeedingPassphrase] = useState<string | null>(null);
  if (typeof needsPassphrase === 'string' && values.loginMethod !== 'key' && needsPassphrase !== keyNeedingPassphrase) setKeyNeedingPassphrase(needsPassphrase);

  const secretFor = (): string | undefined => {
    const secret = (values.loginMethod === 'password' ? password : sudoPassword).current?.read() ?? '';
    return secret === '' ? undefined : secret;
  };

  const finish = (result: Extract<ConnectResult, { status: 'connected' }>) => {
    for (const field of [password, sudoPassword, passphrase]) field.current?.clear();
    setPendingKey(null);
    const next = { ...values, sessionId: result.sessionId, hostFingerprint: result.hostKey.fingerprint, inspection: null, plan: null, applied: null, verified: null, inbound: null, inboundPlan: null, inboundApplied: null };
    update(next);
    saveProfile(profileOf(next, new Date()));
    setProfiles(loadProfiles());
    goNext();
  };

  const attempt = async (acceptFingerprint?: string) => {
    const secret = secretFor();
    const phrase = passphrase.current?.read() ?? '';
    const result = await connect.run({
      target: values.sshTarget.trim(),
      ...(secret === undefined ? {} : { password: secret }),
      ...(values.loginMethod === 'key' && values.keyPath.trim() !== '' ? { privateKeyPath: values.keyPath.trim() } : {}),
      ...((values.loginMethod === 'key' || keyNeedingPassphrase !== null) && phrase !== '' ? { passphrase: phrase } : {}),
      ...(acceptFingerprint === undefined ? {} : { acceptFingerprint }),
    });
    if (!result) {
      setPendingKey(null);
      return;
    }
    if (result.status === 'confirm-host-key') setPendingKey(result.hostKey);
    else finish(result);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (problem === null && values.sshTarget.trim() !== '') void attempt();
  };

  const changeServer = async () => {
    if (values.sessionId) await disconnect.run({ sessionId: values.sessionId });
    update({ sessionId: null, hostFingerprint: null, inspection: null, plan: null, applied: null, verified: null, inbound: null, inboundPlan: null, inboundApplied: null });
    connect.reset();
  };

  if (values.sessionId) {
    return (
      <section aria-labelledby="step-heading">
        <h1 id="step-heading" tabIndex={-1}>
          {t('server.heading')}
        </h1>
        <p className="notice ok" role="status">
          {t('server.connectedTo', { target: values.sshTarget })}
        </p>
        {values.hostFingerprint && (
          <p>
            {t('server.fingerprintLabel')} <code>{values.hostFingerprint}</code>
          </p>
        )}
        <button type="button" onClick={() => void changeServer()}>
          {t('server.changeServer')}
        </button>
      </section>
    );
  }

  const hostKeyChanged = connect.state.status === 'error' && connect.state.error.code === 'host-key-changed';
  const busy = connect.state.status === 'loading';

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('server.heading')}
      </h1>
      <p>{t('server.intro')}</p>

      {profiles.length > 0 && (
        <div className="profiles">
          <h2>{t('server.savedHeading')}</h2>
          <p className="help">{t('server.savedHelp')}</p>
          <ul>
            {profiles.map((profile) => (
              <li key={profile.sshTarget}>
                <button type="button" className="link" onClick={() => update(valuesFromProfile(profile))}>
                  {t('server.useSaved', { target: profile.sshTarget })}
                </button>
                {profile.domain && <span className="help"> ({profile.domain})</span>}{' '}
                <button
                  type="button"
                  className="small secondary"
                  aria-label={t('server.forgetSaved', { target: profile.sshTarget })}
                  onClick={() => {
                    forgetProfile(profile.sshTarget);
                    setProfiles(loadProfiles());
                  }}
                >
                  {t('server.forget')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <form onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-target`}>{t('server.targetLabel')}</label>
          <input
            id={`${id}-target`}
            name="sshTarget"
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder={t('server.targetPlaceholder')}
            aria-describedby={`${id}-target-help${problem ? ` ${id}-target-problem` : ''}`}
            aria-invalid={problem !== null}
            value={values.sshTarget}
            disabled={busy || pendingKey !== null}
            onChange={(event) => {
              update({ sshTarget: event.target.value });
              setPendingKey(null);
            }}
          />
          <p id={`${id}-target-help`} className="help">
            {t('server.targetHelp')}
          </p>
          {problem && (
            <p id={`${id}-target-problem`} className="field-problem">
              {t('server.targetInvalid', { problem: errorMessageText(keyed, serializeError(problem)) })}
            </p>
          )}
        </div>

        <fieldset className="field" disabled={busy || pendingKey !== null}>
          <legend>{t('server.methodLegend')}</legend>
          {methods.map((method) => (
            <Choice
              key={method}
              type="radio"
              name="loginMethod"
              label={t(`server.method.${method}`)}
              help={t(`server.methodHelp.${method}`)}
              checked={values.loginMethod === method}
              onChange={() => update({ loginMethod: method })}
            />
          ))}
        </fieldset>

        {values.loginMethod === 'key' && (
          <>
            <div className="field">
              <label htmlFor={`${id}-key`}>{t('server.keyPathLabel')}</label>
              <input
                id={`${id}-key`}
                type="text"
                spellCheck={false}
                autoComplete="off"
                placeholder="~/.ssh/id_ed25519"
                aria-describedby={`${id}-key-help`}
                value={values.keyPath}
                disabled={busy}
                onChange={(event) => update({ keyPath: event.target.value })}
              />
              <KeyFilePicker disabled={busy} current={values.keyPath} onChosen={(path) => update({ keyPath: path })} />
              <p id={`${id}-key-help`} className="help">
                {t('server.keyPathHelp')}
              </p>
            </div>
            <div className="field">
              <label htmlFor={`${id}-passphrase`}>{t('server.passphraseLabel')}</label>
              <SecretInput ref={passphrase} id={`${id}-passphrase`} disabled={busy} />
            </div>
          </>
        )}

        {values.loginMethod !== 'key' && keyNeedingPassphrase !== null && (
          <div className="field">
            <label htmlFor={`${id}-key-passphrase`}>{t('server.passphraseFor', { file: keyNeedingPassphrase })}</label>
            <SecretInput ref={passphrase} id={`${id}-key-passphrase`} disabled={busy} />
          </div>
        )}

        {values.loginMethod === 'password' ? (
          <div className="field">
            <label htmlFor={`${id}-password`}>{t('server.passwordLabel')}</label>
            <SecretInput ref={password} id={`${id}-password`} autoComplete="current-password" describedBy={`${id}-password-help`} disabled={busy} />
            <p id={`${id}-password-help`} className="help">
              {t('server.passwordHelp')}
            </p>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${id}-sudo`}>{t('server.sudoLabel')}</label>
            <SecretInput ref={sudoPassword} id={`${id}-sudo`} describedBy={`${id}-sudo-help`} disabled={busy} />
            <p id={`${id}-sudo-help`} className="help">
              {t('server.sudoHelp')}
            </p>
          </div>
        )}
        <p className="help">{t('server.secretsNote')}</p>

        {pendingKey === null && !busy && (
          <button type="submit" className="primary" disabled={values.sshTarget.trim() === '' || problem !== null}>
            {t('server.connect')}
          </button>
        )}
      </form>

      {busy && <Busy label={t(pendingKey ? 'server.loggingIn' : 'server.connecting', { target: values.sshTarget })} onCancel={connect.cancel} />}

      {pendingKey && !busy && (
        <div className="notice consent" role="region" aria-labelledby={`${id}-consent`}>
          <h2 id={`${id}-consent`}>{t('server.hostKeyHeading')}</h2>
          <p>{t('server.hostKeyIntro', { host: pendingKey.host, port: pendingKey.port })}</p>
          <p className="fingerprint">
            <span className="label">
              {pendingKey.keyType}
              {pendingKey.bits ? ` ${pendingKey.bits}` : ''}
            </span>{' '}
            <code data-testid="host-fingerprint">{pendingKey.fingerprint}</code>
          </p>
          <p className="help">{t('server.hostKeyHow')}</p>
          <div className="row">
            <button type="button" className="primary" onClick={() => void attempt(pendingKey.fingerprint)}>
              {t('server.hostKeyAccept')}
            </button>
            <button type="button" onClick={() => setPendingKey(null)}>
              {t('app.cancel')}
            </button>
          </div>
        </div>
      )}

      {hostKeyChanged && connect.state.status === 'error' && (
        <HostKeyChanged error={connect.state.error} target={values.sshTarget.trim()} onForgotten={() => void attempt()} />
      )}
      {connect.state.status === 'error' && !hostKeyChanged && <ErrorNotice error={connect.state.error} onRetry={() => void attempt(pendingKey?.fingerprint)} />}
    </section>
  );
}
