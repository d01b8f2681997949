import { createContext, useContext, useEffect, useMemo, useReducer, type ReactNode } from 'react';
import type { DkimKeyInfo, PublishedRecords } from '../../../shared/contract/records.js';
import type { VerifyReport } from '../../../shared/contract/verify.js';
import type { InboundReport } from '../../../shared/inbound.js';
import type { OutboundReport, RequirementsReport } from '../../../shared/outbound.js';
import type { Inspection } from '../../../shared/inspection.js';
import type { ApplyResult, Plan } from '../../../shared/plan.js';
import type { DmarcPolicy, SpfAll } from '../../../shared/records/types.js';
import type { PresetId } from '../../../shared/records/presets.js';
import { loadWizard, saveWizard } from './persist.js';

export type LoginMethod = 'key' | 'agent' | 'password';

/**
 * Everything the person has entered or the back end has found, kept across Back and Next.
 * No secrets: passwords live in the server step's own state until they are sent, and the
 * private keys never leave the main process (keys here are public halves and ids).
 */
export interface WizardValues {
  sshTarget: string;
  loginMethod: LoginMethod;
  keyPath: string;
  /** Set once connected; cleared when the person changes the server. */
  sessionId: string | null;
  hostFingerprint: string | null;
  inspection: Inspection | null;
  domain: string;
  selector: string;
  keyType: 'rsa' | 'ed25519';
  bits: number;
  /** Add an Ed25519 signature beside the RSA one (RFC 8463): never alone. */
  addEd25519: boolean;
  spfMx: boolean;
  spfA: boolean;
  spfAddresses: string;
  spfAll: SpfAll;
  dmarcPolicy: DmarcPolicy;
  rua: string;
  ruf: string;
  keys: DkimKeyInfo[];
  /** What the domain publishes now (read in the domain and records steps); null until read. */
  published: PublishedRecords | null;
  /** The review step's explicit confirmation: apply before the DKIM records are visible. */
  signBeforeVisible: boolean;
  preset: PresetId | 'zone';
  plan: Plan | null;
  applied: ApplyResult | null;
  /** DNS servers to ask instead of the defaults (comma separated), e.g. a test or internal DNS. */
  resolvers: string;
  verified: VerifyReport | null;
  /** The inbound step: the blocklists and host-name rule found, the reviewed plan, its apply. */
  inbound: InboundReport | null;
  inboundPlan: Plan | null;
  inboundApplied: ApplyResult | null;
  /** The way out (port 25, address, reverse name, TLS, relay), checked once per connection. */
  outbound: OutboundReport | null;
  /** The recipient domain whose MX the way-out page tried port 25 against ('' = the default, gmail.com). */
  probeDomain: string;
  /** The Gmail/Yahoo/Outlook sender requirements, judged again whenever what they are judged from changes. */
  requirements: RequirementsReport | null;
  /** What `requirements` was judged from (its request, as JSON); '' before the first judgement. */
  requirementsFor: string;
  /** The relay page: the SPF include: of the relay applied (a preset's, or the one the person's provider documents), merged by the records step; '' when none. */
  relayInclude: string;
}

export const initialValues: WizardValues = {
  sshTarget: '',
  loginMethod: 'agent',
  keyPath: '',
  sessionId: null,
  hostFingerprint: null,
  inspection: null,
  domain: '',
  selector: '',
  keyType: 'rsa',
  bits: 2048,
  addEd25519: false,
  spfMx: true,
  spfA: false,
  spfAddresses: '',
  spfAll: 'soft',
  dmarcPolicy: 'none',
  rua: '',
  ruf: '',
  keys: [],
  published: null,
  signBeforeVisible: false,
  preset: 'zone',
  plan: null,
  applied: null,
  resolvers: '',
  verified: null,
  inbound: null,
  inboundPlan: null,
  inboundApplied: null,
  outbound: null,
  probeDomain: '',
  requirements: null,
  requirementsFor: '',
  relayInclude: '',
};

type Action = { type: 'set'; values: Partial<WizardValues> } | { type: 'reset' };

function reducer(state: WizardValues, action: Action): WizardValues {
  switch (action.type) {
    case 'set':
      return { ...state, ...action.values };
    case 'reset':
      return initialValues;
  }
}

interface WizardContextValue {
  values: WizardValues;
  update: (values: Partial<WizardValues>) => void;
}

const WizardContext = createContext<WizardContextValue | null>(null);

export function WizardProvider({ children, initial = initialValues, persistKey }: { children: ReactNode; initial?: Partial<WizardValues>; persistKey?: string }) {
  const [values, dispatch] = useReducer(reducer, undefined, () => ({ ...initialValues, ...initial, ...(persistKey === undefined ? {} : (loadWizard(persistKey)?.values ?? {})) }));
  useEffect(() => {
    if (persistKey !== undefined) saveWizard(persistKey, { values });
  }, [persistKey, values]);
  const context = useMemo(() => ({ values, update: (next: Partial<WizardValues>) => dispatch({ type: 'set', values: next }) }), [values]);
  return <WizardContext.Provider value={context}>{children}</WizardContext.Provider>;
}

export function useWizard(): WizardContextValue {
  const context = useContext(WizardContext);
  if (!context) throw new Error('useWizard outside WizardProvider');
  return context;
}
