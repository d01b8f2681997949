import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeDomain } from '../../../shared/validation/domain.js';
import type { ValidationProblem } from '../../../shared/validation/problem.js';
import { normalizeSelector, suggestSelector } from '../../../shared/validation/selector.js';
import type { DkimKeyInfo } from '../../../shared/contract/records.js';
import type { DmarcPolicy } from '../../../shared/records/types.js';
import { Busy } from '../components/Busy.js';
import { Choice } from '../components/Choice.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Field } from '../components/Field.js';
import { ResolverField } from '../components/ResolverField.js';
import { useCall } from '../hooks/useCall.js';
import { saveProfile, profileOf } from '../wizard/profiles.js';
import { publishedPolicyOf, publishedQueryOf, startFromPublished } from '../wizard/records.js';
import { PublishedNow } from './PublishedNow.js';
import { checkDomainChoices, ed25519Selector, hasProblems } from '../wizard/choices.js';
import type { StepProps } from '../wizard/steps.js';
import { useWizard, type WizardValues } from '../wizard/state.js';

const rsaSizes = [1024, 2048, 3072, 4096] as const;
const policies: readonly DmarcPolicy[] = ['none', 'quarantine', 'reject'];

/** Whether the keys already made fit the current choices (then Next does not make new ones). */
function keysFit(values: WizardValues): boolean {
  const domain = normalizeDomain(values.domain);
  const selector = normalizeSelector(values.selector);
  if (!domain.ok || !selector.ok) return false;
  const rsa = values.keys.find((k) => k.type === 'rsa');
  const ed = values.keys.find((k) => k.type === 'ed25519');
  if (!rsa || rsa.domain !== domain.value || rsa.selector !== selector.value || rsa.bits !== values.bits) return false;
  return values.addEd25519 ? ed !== undefined && ed.selector === ed25519Selector(selector.value) : ed === undefined;
}

export function DomainStep({ goNext }: StepProps) {
  const { t } = useTranslation();
  const { values, update } = useWizard();
  const id = useId();
  const generate = useCall('generateDkimKey');
  const readPublished = useCall('readPublishedRecords');
  const forget = useCall('forgetDkimKey');
  const [touched, setTouched] = useState(false);
  const ascii = normalizeDomain(values.domain);
  // Selectors in use: on the server, and published in DNS (a record made for a key this
  // window no longer holds, e.g. before Homemail was closed, cannot take a new key).
  const keySuffix = ascii.ok ? `._domainkey.${ascii.value}` : null;
  const publishedNow = ascii.ok && values.published?.domain === ascii.value ? values.published : null;
  const publishedSelectors = keySuffix === null || publishedNow === null ? [] : publishedNow.existing.filter((r) => r.name.endsWith(keySuffix)).map((r) => r.name.slice(0, -keySuffix.length));
  const taken = [...(values.inspection?.opendkim.keys.map((k) => k.selector ?? '') ?? []), ...publishedSelectors];
  const suggested = suggestSelector(new Date(), taken);
  const selectorValue = values.selector === '' ? suggested : values.selector;
  const selectorBusy = values.keys.length === 0 && values.selector !== '' && taken.includes(values.selector.trim().toLowerCase());
  const current = { ...values, selector: selectorValue };
  const problems = checkDomainChoices(current);
  const shown = (p: ValidationProblem | null) => (touched ? p : null);
  const ed25519Possible = values.inspection?.opendkim.canSignEd25519 !== false;
  const busy = generate.state.status === 'loading';

  const publishedPolicy = publishedPolicyOf(values);
  // The policy step starts from what the domain publishes: read as soon as the domain is known
  // (filled in from Postfix, or typed) and again when the DNS servers to ask change, so the
  // choices below show the person's own records before anything is made.
  const askedWith = useRef(values.resolvers);
  // A read still on its way is awaited, not skipped: "Create" pressed while it runs must start
  // from what it finds, not from the defaults it is about to replace.
  const inFlight = useRef<{ key: string; result: Promise<Partial<WizardValues>> } | null>(null);
  const readWhatIsPublished = (): Promise<Partial<WizardValues>> => {
    if (!ascii.ok) return Promise.resolve({});
    const key = JSON.stringify([ascii.value, values.resolvers]);
    if (inFlight.current?.key === key) return inFlight.current.result;
    if (values.published?.domain === ascii.value && values.published.servers.length > 0 && askedWith.current === values.resolvers) return Promise.resolve({});
    askedWith.current = values.resolvers;
    const result = (async () => {
      const published = await readPublished.run(publishedQueryOf(values, ascii.value));
      if (!published) return {};
      const started = startFromPublished(values, published);
      update(started);
      return started;
    })();
    inFlight.current = { key, result };
    void result.finally(() => {
      if (inFlight.current?.result === result) inFlight.current = null;
    });
    return result;
  };
  const domainToRead = ascii.ok ? ascii.value : '';
  useEffect(() => {
    if (domainToRead === '') return undefined;
    const timer = window.setTimeout(() => void readWhatIsPublished(), 700);
    return () => window.clearTimeout(timer);
    // Only a new domain or new DNS servers start a read; the values it reads change with it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [domainToRead, values.resolvers]);

  const createKeys = async () => {
    setTouched(true);
    if (hasProblems(problems)) return;
    const fromPublished = await readWhatIsPublished();
    if (keysFit(current)) {
      goNext();
      return;
    }
    for (const old of values.keys) await forget.run({ keyId: old.keyId });
    const domain = ascii.ok ? ascii.value : values.domain;
    const made: DkimKeyInfo[] = [];
    const rsa = await generate.run({ domain, selector: selectorValue, type: 'rsa', bits: values.bits });
    if (!rsa) return;
    made.push(rsa.key);
    if (values.addEd25519 && ed25519Possible) {
      const ed = await generate.run({ domain, selector: ed25519Selector(rsa.key.selector), type: 'ed25519' });
      if (!ed) return;
      made.push(ed.key);
    }
    const next = { ...values, ...fromPublished, selector: rsa.key.selector, keys: made, plan: null, applied: null, verified: null };
    update(next);
    if (values.sshTarget) saveProfile(profileOf(next, new Date()));
    goNext();
  };

  return (
    <section aria-labelledby="step-heading">
      <h1 id="step-heading" tabIndex={-1}>
        {t('domain.heading')}
      </h1>
      <p>{t('domain.intro')}</p>
      <fieldset disabled={busy}>
        <Field
          id={`${id}-domain`}
          label={t('domain.domainLabel')}
          help={t('domain.domainHelp')}
          problem={shown(problems.domain)}
          extra={ascii.ok && ascii.value !== values.domain.trim().toLowerCase() ? <p className="help">{t('domain.idnAs', { ascii: ascii.value })}</p> : null}
        >
          {(describedBy) => (
            <input
              id={`${id}-domain`}
              type="text"
              spellCheck={false}
              placeholder="example.jp"
              aria-describedby={describedBy}
              aria-invalid={shown(problems.domain) !== null}
              value={values.domain}
              onChange={(e) => update({ domain: e.target.value })}
            />
          )}
        </Field>
        <ResolverField />
        {readPublished.state.status === 'loading' && <p className="help">{t('domain.readingPublished')}</p>}
        {readPublished.state.status === 'error' && <ErrorNotice error={readPublished.state.error} onRetry={() => void readWhatIsPublished()} />}
        {ascii.ok && readPublished.state.status !== 'loading' && <PublishedNow values={values} domain={ascii.value} />}

        <Field
          id={`${id}-selector`}
          label={t('domain.selectorLabel')}
          help={t('domain.selectorHelp', { suggested })}
          problem={shown(problems.selector)}
          extra={
            selectorBusy ? (
              <p className="notice warn" data-testid="selector-busy">
                {t('domain.selectorBusy', { selector: values.selector.trim().toLowerCase(), suggested })}{' '}
                <button type="button" onClick={() => update({ selector: suggested })}>
                  {t('domain.useSuggested', { suggested })}
                </button>
              </p>
            ) : null
          }
        >
          {(describedBy) => (
            <input
              id={`${id}-selector`}
              type="text"
              spellCheck={false}
              aria-describedby={describedBy}
              aria-invalid={shown(problems.selector) !== null}
              value={selectorValue}
              onChange={(e) => update({ selector: e.target.value })}
            />
          )}
        </Field>

        <Field id={`${id}-bits`} label={t('domain.keySizeLabel')} help={t('domain.keySizeWhy')} problem={null}>
          {(describedBy) => (
            <select id={`${id}-bits`} aria-describedby={describedBy} value={values.bits} onChange={(e) => update({ bits: Number(e.target.value) })}>
              {rsaSizes.map((bits) => (
                <option key={bits} value={bits}>
                  {t(bits === 2048 ? 'domain.rsaRecommended' : 'domain.rsa', { bits })}
                </option>
              ))}
            </select>
          )}
        </Field>
        {values.bits < 2048 && <p className="notice warn">{t('domain.weakWarning')}</p>}

        <Choice
          type="checkbox"
          label={t('domain.ed25519Label')}
          help={t(ed25519Possible ? 'domain.ed25519Why' : 'domain.ed25519Unsupported')}
          checked={values.addEd25519 && ed25519Possible}
          disabled={!ed25519Possible}
          onChange={(checked) => update({ addEd25519: checked })}
        />

        <fieldset className="field">
          <legend>{t('domain.spfLegend')}</legend>
          <p className="help">{t('domain.spfWhy')}</p>
          <Choice type="checkbox" label={t('domain.spfMx')} checked={values.spfMx} onChange={(checked) => update({ spfMx: checked })} />
          <Choice type="checkbox" label={t('domain.spfA')} checked={values.spfA} onChange={(checked) => update({ spfA: checked })} />
          <Field id={`${id}-ip`} label={t('domain.spfAddressesLabel')} help={t('domain.spfAddressesHelp')} problem={shown(problems.addresses)}>
            {(describedBy) => (
              <input
                id={`${id}-ip`}
                type="text"
                spellCheck={false}
                placeholder="203.0.113.25"
                aria-describedby={describedBy}
                value={values.spfAddresses}
                onChange={(e) => update({ spfAddresses: e.target.value })}
              />
            )}
          </Field>
          <Choice type="radio" name="spfAll" label={t('domain.spfSoft')} help={t('domain.spfSoftWhy')} checked={values.spfAll === 'soft'} onChange={() => update({ spfAll: 'soft' })} />
          <Choice type="radio" name="spfAll" label={t('domain.spfHard')} help={t('domain.spfHardWhy')} checked={values.spfAll === 'hard'} onChange={() => update({ spfAll: 'hard' })} />
        </fieldset>

        <fieldset className="field">
          <legend>{t('domain.dmarcLegend')}</legend>
          {publishedPolicy !== null && <p className="help">{t('domain.policyPublished', { policy: publishedPolicy })}</p>}
          {policies.map((policy) => (
            <Choice
              key={policy}
              type="radio"
              name="dmarcPolicy"
              label={t(`domain.policy.${policy}`)}
              help={t(`domain.policyWhy.${policy}`)}
              checked={values.dmarcPolicy === policy}
              disabled={publishedPolicy !== null && policies.indexOf(policy) < policies.indexOf(publishedPolicy)}
              onChange={() => update({ dmarcPolicy: policy })}
            />
          ))}
          <Field id={`${id}-rua`} label={t('domain.ruaLabel')} help={t('domain.ruaHelp')} problem={shown(problems.rua)}>
            {(describedBy) => (
              <input
                id={`${id}-rua`}
                type="text"
                spellCheck={false}
                placeholder={`dmarc@${ascii.ok ? ascii.value : 'example.jp'}`}
                aria-describedby={describedBy}
                value={values.rua}
                onChange={(e) => update({ rua: e.target.value })}
              />
            )}
          </Field>
          <Field id={`${id}-ruf`} label={t('domain.rufLabel')} help={t('domain.rufHelp')} problem={shown(problems.ruf)}>
            {(describedBy) => (
              <input id={`${id}-ruf`} type="text" spellCheck={false} aria-describedby={describedBy} value={values.ruf} onChange={(e) => update({ ruf: e.target.value })} />
            )}
          </Field>
        </fieldset>
      </fieldset>

      {busy && <Busy label={t('domain.generating')} detail={t('domain.generatingDetail')} onCancel={generate.cancel} />}
      {generate.state.status === 'error' && <ErrorNotice error={generate.state.error} onRetry={() => void createKeys()} />}
      {touched && hasProblems(problems) && (
        <p className="field-problem" role="alert">
          {t('domain.fixFields')}
        </p>
      )}
      {!busy && (
        <div className="row">
          <button type="button" className="primary" onClick={() => void createKeys()}>
            {keysFit(current) ? t('domain.keepKeys') : t('domain.createKeys')}
          </button>
        </div>
      )}
    </section>
  );
}
