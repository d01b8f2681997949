import { createContext, useContext, useMemo, useReducer, type ReactNode } from 'react';

/**
 * Everything the person has entered or the back end has found, kept across Back and Next.
 * Secrets (passwords) are not kept here beyond the step that sends them.
 */
export interface WizardValues {
  sshTarget: string;
}

export const initialValues: WizardValues = {
  sshTarget: '',
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

export function WizardProvider({ children, initial = initialValues }: { children: ReactNode; initial?: WizardValues }) {
  const [values, dispatch] = useReducer(reducer, initial);
  const context = useMemo(() => ({ values, update: (next: Partial<WizardValues>) => dispatch({ type: 'set', values: next }) }), [values]);
  return <WizardContext.Provider value={context}>{children}</WizardContext.Provider>;
}

export function useWizard(): WizardContextValue {
  const context = useContext(WizardContext);
  if (!context) throw new Error('useWizard outside WizardProvider');
  return context;
}
