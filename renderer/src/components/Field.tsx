import type { ReactNode } from 'react';
import type { ValidationProblem } from '../../../shared/validation/problem.js';
import { useKeyedText } from '../text.js';

interface FieldProps {
  id: string;
  label: string;
  help?: string | undefined;
  problem?: ValidationProblem | null;
  /** The control, given the ids of its help and problem lines (undefined when it has neither). */
  children: (describedBy: string | undefined) => ReactNode;
  extra?: ReactNode;
}

/** One labelled form field: its control, the help line under it, then anything extra and the problem, if any. */
export function Field({ id, label, help, problem = null, children, extra }: FieldProps) {
  const text = useKeyedText();
  const describedBy = [help ? `${id}-help` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(describedBy === '' ? undefined : describedBy)}
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      {extra}
      {problem && (
        <p id={`${id}-problem`} className="field-problem">
          {text('validation', problem)}
        </p>
      )}
    </div>
  );
}
