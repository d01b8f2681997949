import { forwardRef, useImperativeHandle, useRef } from 'react';

/** Reads and clears a SecretInput's value at the moment it is sent. */
export interface SecretHandle {
  read: () => string;
  clear: () => void;
}

interface Props {
  id: string;
  describedBy?: string;
  autoComplete?: string;
  disabled?: boolean;
  /** Called as the person types: whether the field holds anything (the value itself stays in the field). */
  onPresence?: (present: boolean) => void;
}

/**
 * A password field whose value never becomes part of the page's DOM: React writes a controlled
 * input's value into its `value` attribute, where any HTML dump or script reading attributes
 * finds it. Here the field keeps the value alone; the page reads it through the handle when it
 * sends it, and clears it after.
 */
export const SecretInput = forwardRef<SecretHandle, Props>(function SecretInput({ id, describedBy, autoComplete = 'off', disabled, onPresence }, handle) {
  const field = useRef<HTMLInputElement>(null);
  useImperativeHandle(handle, () => ({
    read: () => field.current?.value ?? '',
    clear: () => {
      if (field.current) field.current.value = '';
      onPresence?.(false);
    },
  }));
  return <input ref={field} id={id} type="password" autoComplete={autoComplete} aria-describedby={describedBy} disabled={disabled} onChange={(event) => onPresence?.(event.target.value !== '')} />;
});
