import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Plan } from '../../../shared/plan.js';
import { parseRelayTarget, RELAY_PRESETS, relayPreset, type RelayPresetId } from '../../../shared/relay.js';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import { Busy } from '../components/Busy.js';
import { Choice } from '../components/Choice.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Field } from '../components/Field.js';
import { SecretInput, type SecretHandle } from '../components/SecretInput.js';
import { useCall } from '../hooks/useCall.js';
import { AppliedNotice } from '../components/AppliedNotice.js';
import { usePages } from '../wizard/pages.js';
import { useWizard } from '../wizard/state.js';
import { useKeyedText } from '../text.js';
import { Log } from '../steps/ApplyStep.js';
import { ChangeReview } from '../steps/ReviewStep.js';

type Mode = 'set' | 'remove';

/** A plain text field of the relay form (names and addresses: no spelling check, no autofill). */
function TextInput({ id, describedBy, value, onChange }: { id: string; describedBy: string | undefined; value: string; onChange: (value: string) => void }) {
  return <input id={id} type="text" spellCheck={false} autoComplete="off" aria-describedby={describedBy} value={value} onChange={(event) => onChange(event.target.value)} />;
}

/**
 * Relaying outgoing mail through a smarthost (the ISP's submission server or a mail
 * service) when port 25 is blocked: choose a preset or type the ISP's server, enter the
 * login, review the diff, apply (the health check proves Postfix logs in), undo on the
 * Changes page. The password stays in its field (never in the page's state or DOM) until it is
 * sent, and is cleared after the apply; nothing the back end returns carries it. Opened from the way-out page,
 * it says what that page found; once applied, it leads to the records step, where the relay's
 * SPF include joins the domain's SPF record.
 */
export function RelayPage({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const keyed = useKeyedText();
  const { values, update } = useWizard();
  const pages = usePages();
  const id = useId();
  const plan = useCall('planRelay');
  const apply = useCall('applyRelay');
  const [presetId, setPresetId] = useState<RelayPresetId>('generic');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('587');
  const [user, setUser] = useState('');
  const password = useRef<SecretHandle>(null);
  const [hasPassword, setHasPassword] = useState(false);
  const [ownInclude, setOwnInclude] = useState('');
  const [mode, setMode] = useState<Mode>('set');
  const [reviewed, setReviewed] = useState<Plan | null>(null);
  const preset = relayPreset(presetId);
  const relayText = presetId === 'generic' ? `${host.trim()}:${port.trim()}` : `${preset.host}:${preset.port}`;
  const target = parseRelayTarget(relayText);
  // The generic relay's SPF include, as the provider documents it ("include:" pasted along is dropped).
  const typedInclude = ownInclude.trim().replace(/^include:/i, '');
  const checkedInclude = typedInclude === '' ? null : normalizeDomain(typedInclude, { allowUnderscore: true });
  const include = presetId === 'generic' ? (checkedInclude?.ok ? checkedInclude.value : '') : preset.spfInclude === 'unknown' ? '' : preset.spfInclude;
  const blocked = values.outbound?.port25 === 'blocked' && values.outbound.relay.relayhost === null ? values.outbound.port25Probe : null;
  const domain = values.domain || values.inspection?.postfix?.mydomain || values.inspection?.target.host || 'localhost';
  const complete = target.ok && user.trim() !== '' && hasPassword && (checkedInclude === null || checkedInclude.ok || presetId !== 'generic');
  const requestFor = (what: Mode) =>
    what === 'remove' ? ({ sessionId, remove: true, domain } as const) : ({ sessionId, remove: false, relay: relayText, user: user.trim(), password: password.current?.read() ?? '', domain } as const);
  const applied = apply.state.status === 'done' ? apply.state.result.result : null;
  // Kept in the wizard's state, so coming back to this page still shows them: the relay the
  // server uses (as the way-out page last found it) and, until its SPF passes, the next step.
  const relayNow = applied === null ? (values.outbound?.relay.relayhost ?? null) : null;
  const spfNext = values.relayInclude !== '' && values.outbound?.relaySpf?.status !== 'pass' && (applied === null || mode === 'set');

  const forget = () => setReviewed(null);
  /** A field's change: its new value, and the reviewed plan no longer stands. */
  const edited = (set: (value: string) => void) => (value: string) => {
    set(value);
    forget();
  };
  const showPlan = (next: Mode) => {
    setMode(next);
    forget();
    void plan.run(requestFor(next)).then((result) => {
      if (result) setReviewed(result);
    });
  };
  const runApply = () => {
    void apply.run(requestFor(mode)).then((result) => {
      if (!result) return;
      password.current?.clear();
      forget();
      // The records step merges the relay's SPF include into the domain's SPF; the way out and
      // the sender requirements are judged again from the server as it is now.
      update({ relayInclude: mode === 'set' ? include : '', outbound: null, requirements: null });
    });
  };

  return (
    <section aria-labelledby="step-heading" className="relay-page">
      <h1 id="step-heading" tabIndex={-1}>
        {t('relay.heading')}
      </h1>
      {blocked && (
        <p className="notice warn" data-from="outbound">
          {t('relay.fromOutbound', { host: blocked.host ?? blocked.probeDomain })}
        </p>
      )}
      {relayNow && (
        <p className="notice info" data-relay-now>
          {t('relay.current', { relay: relayNow })}
        </p>
      )}
      <p>{t('relay.intro')}</p>
      <p className="help">{t('relay.when')}</p>

      <fieldset className="field">
        <legend>{t('relay.presetLegend')}</legend>
        {RELAY_PRESETS.map((p) => (
          <Choice
            key={p.id}
            type="radio"
            name={`${id}-preset`}
            label={p.id === 'generic' ? t('relay.generic') : p.name}
            properName={p.id !== 'generic'}
            help={p.id === 'generic' ? t('relay.genericHelp') : t('relay.presetHelp', { host: p.host, port: p.port, include: p.spfInclude === 'unknown' ? t('relay.includeUnknown') : `include:${p.spfInclude}` })}
            checked={presetId === p.id}
            onChange={() => {
              setPresetId(p.id);
              forget();
            }}
          />
        ))}
      </fieldset>
      {preset.caveat !== undefined && <p className="notice warn">{t(`relay.caveat.${preset.caveat}`)}</p>}

      {presetId === 'generic' && (
        <div className="row">
          <Field id={`${id}-host`} label={t('relay.hostLabel')} help={t('relay.hostHelp')}>
            {(describedBy) => <TextInput id={`${id}-host`} describedBy={describedBy} value={host} onChange={edited(setHost)} />}
          </Field>
          <div className="field">
            <label htmlFor={`${id}-port`}>{t('relay.portLabel')}</label>
            <select
              id={`${id}-port`}
              value={port}
              onChange={(event) => {
                setPort(event.target.value);
                forget();
              }}
            >
              <option value="587">{t('relay.port587')}</option>
              <option value="465">{t('relay.port465')}</option>
            </select>
          </div>
        </div>
      )}
      {presetId === 'generic' && host.trim() !== '' && !target.ok && (
        // Why, beside the field, in the chosen language (the same code the CLI and the main process give).
        <p className="notice warn" role="alert">
          {t('relay.badHost')} {keyed('validation', target.problem)}
        </p>
      )}

      <Field id={`${id}-user`} label={t('relay.userLabel')} help={preset.userHint !== '' ? t('relay.userHint', { user: preset.userHint }) : undefined}>
        {(describedBy) => <TextInput id={`${id}-user`} describedBy={describedBy} value={user} onChange={edited(setUser)} />}
      </Field>
      <div className="field">
        <label htmlFor={`${id}-password`}>{t('relay.passwordLabel')}</label>
        <SecretInput
          ref={password}
          id={`${id}-password`}
          describedBy={`${id}-password-help`}
          onPresence={(present) => {
            setHasPassword(present);
            forget();
          }}
        />
        <p className="help" id={`${id}-password-help`}>
          {t('relay.passwordHelp')}
        </p>
      </div>
      {presetId === 'generic' && (
        <Field
          id={`${id}-include`}
          label={t('relay.includeLabel')}
          help={t('relay.includeHelp')}
          extra={checkedInclude !== null && !checkedInclude.ok && <p className="notice warn">{t('relay.badInclude')}</p>}
        >
          {(describedBy) => <TextInput id={`${id}-include`} describedBy={describedBy} value={ownInclude} onChange={edited(setOwnInclude)} />}
        </Field>
      )}
      {include !== '' ? <p className="help">{t('relay.spfInclude', { include })}</p> : <p className="help">{t('relay.spfUnknown')}</p>}

      <div className="row">
        <button type="button" disabled={!complete || plan.state.status === 'loading'} onClick={() => showPlan('set')}>
          {t('relay.showChanges')}
        </button>
        <button type="button" className="secondary" disabled={plan.state.status === 'loading'} onClick={() => showPlan('remove')}>
          {t('relay.showRemove')}
        </button>
      </div>

      {plan.state.status === 'loading' && <Busy label={t('review.planning')} onCancel={plan.cancel} />}
      {plan.state.status === 'error' && <ErrorNotice error={plan.state.error} />}
      {reviewed && plan.state.status !== 'loading' && apply.state.status !== 'loading' && (
        <ChangeReview plan={reviewed} className="relay-review" heading={t(mode === 'remove' ? 'relay.removeHeading' : 'review.heading')} note={t('relay.healthHelp')} onApply={runApply} />
      )}
      {apply.state.status === 'loading' && <Busy label={t('apply.applying', { host: reviewed?.host ?? '' })} detail={t('apply.dontClose')} />}
      {applied && (
        <AppliedNotice result={applied} doneText={t(mode === 'remove' ? 'relay.removed' : 'relay.applied', { backup: applied.backupId ?? '' })} undoText={t('relay.undoHow')}>
        </AppliedNotice>
      )}
      {spfNext && (
        <div className="notice info" data-next="records">
          <p>{t('relay.spfNext', { include: values.relayInclude })}</p>
          <p>
            <button type="button" className="primary" onClick={() => pages.go(values.keys.length > 0 ? 'records' : 'domain')}>
              {t('relay.toRecords')}
            </button>
          </p>
        </div>
      )}
      <Log entries={applied ? applied.log : apply.events} />
      {apply.state.status === 'error' && <ErrorNotice error={apply.state.error} />}
    </section>
  );
}
