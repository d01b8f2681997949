import type { ComponentType } from 'react';
import { ApplyStep } from '../steps/ApplyStep.js';
import { DomainStep } from '../steps/DomainStep.js';
import { DoneStep } from '../steps/DoneStep.js';
import { FindingsStep } from '../steps/FindingsStep.js';
import { InboundStep } from '../steps/InboundStep.js';
import { OutboundStep } from '../steps/OutboundStep.js';
import { RecordsStep } from '../steps/RecordsStep.js';
import { RequirementsStep } from '../steps/RequirementsStep.js';
import { ReviewStep } from '../steps/ReviewStep.js';
import { ServerStep } from '../steps/ServerStep.js';
import { VerifyStep } from '../steps/VerifyStep.js';
import { WelcomeStep } from '../steps/WelcomeStep.js';
import type { WizardValues } from './state.js';

export interface StepProps {
  /** Lets a step move on by itself once its work is done (for example after connecting). */
  goNext: () => void;
}

export type StepId = 'welcome' | 'server' | 'findings' | 'inbound' | 'domain' | 'records' | 'review' | 'apply' | 'verify' | 'outbound' | 'requirements' | 'done';

export interface StepDefinition {
  id: StepId;
  /** i18n key of the step's name in the step list. */
  titleKey: string;
  component: ComponentType<StepProps>;
  /**
   * Whether the generic Next button shows and is enabled. Steps whose own button does the
   * work (connect, create the key, confirm the changes) return true once it is done, so
   * Back then Next keeps working.
   */
  canAdvance: (values: WizardValues) => boolean;
  /** i18n key of the Next button when it means something else (skipping an optional step). */
  nextKey?: (values: WizardValues) => string;
}

export const steps: readonly StepDefinition[] = [
  { id: 'welcome', titleKey: 'steps.welcome', component: WelcomeStep, canAdvance: () => true },
  {
    id: 'server',
    titleKey: 'steps.server',
    component: ServerStep,
    // The records can be made and published before any server is connected.
    canAdvance: () => true,
    nextKey: (v) => (v.sessionId === null ? 'server.publishFirst' : 'app.next'),
  },
  { id: 'findings', titleKey: 'steps.findings', component: FindingsStep, canAdvance: (v) => v.inspection !== null || v.sessionId === null },
  {
    id: 'inbound',
    titleKey: 'steps.inbound',
    component: InboundStep,
    canAdvance: () => true,
    // Optional: Next skips it until something was applied (or there is nothing to apply).
    nextKey: (v) => (v.inboundApplied === null ? 'inbound.skip' : 'app.next'),
  },
  { id: 'domain', titleKey: 'steps.domain', component: DomainStep, canAdvance: (v) => v.keys.length > 0 },
  { id: 'records', titleKey: 'steps.records', component: RecordsStep, canAdvance: (v) => v.keys.length > 0 },
  { id: 'review', titleKey: 'steps.review', component: ReviewStep, canAdvance: (v) => v.applied !== null || (v.plan !== null && !v.plan.changed) },
  { id: 'apply', titleKey: 'steps.apply', component: ApplyStep, canAdvance: (v) => v.applied !== null || (v.plan !== null && !v.plan.changed) },
  { id: 'verify', titleKey: 'steps.verify', component: VerifyStep, canAdvance: () => true },
  { id: 'outbound', titleKey: 'steps.outbound', component: OutboundStep, canAdvance: () => true },
  { id: 'requirements', titleKey: 'steps.requirements', component: RequirementsStep, canAdvance: () => true },
  { id: 'done', titleKey: 'steps.done', component: DoneStep, canAdvance: () => true },
];
