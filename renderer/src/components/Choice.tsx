import { useId } from 'react';

interface Props {
  type: 'radio' | 'checkbox';
  label: string;
  /** The short "why", read after the label, not as part of it. */
  help?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name?: string;
  disabled?: boolean;
  /** The label is a proper name (a product, a service), the same in every language: marked translate="no". */
  properName?: boolean;
}

/** A radio button or checkbox with its label and an optional explanation. */
export function Choice({ type, label, help, checked, onChange, name, disabled, properName }: Props) {
  const id = useId();
  return (
    <div className="choice">
      <input
        id={id}
        type={type}
        {...(name === undefined ? {} : { name })}
        checked={checked}
        disabled={disabled}
        aria-describedby={help ? `${id}-help` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <div>
        <label htmlFor={id} {...(properName ? { translate: 'no' as const } : {})}>
          {label}
        </label>
        {help && (
          <p id={`${id}-help`} className="help">
            {help}
          </p>
        )}
      </div>
    </div>
  );
}
