import type { ComponentType } from 'react';
import { ServerStep } from '../steps/ServerStep.js';
import { WelcomeStep } from '../steps/WelcomeStep.js';
import type { WizardValues } from './state.js';

export interface StepProps {
  /** Lets a step move on by itself once its work is done (for example after connecting). */
  goNext: () => void;
}

export interface StepDefinition {
  id: string;
  /** i18n key of the step's name in the step list. */
  titleKey: string;
  component: ComponentType<StepProps>;
  /** Whether Next is enabled; steps that advance themselves return false. */
  canAdvance: (values: WizardValues) => boolean;
}

export const steps: readonly StepDefinition[] = [
  { id: 'welcome', titleKey: 'steps.welcome', component: WelcomeStep, canAdvance: () => true },
  { id: 'server', titleKey: 'steps.server', component: ServerStep, canAdvance: (values) => values.sshTarget.trim() !== '' },
];
