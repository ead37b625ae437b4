/**
 * Modal dialogs on the native `<dialog>` element (focus is trapped, Escape cancels): a
 * confirmation before changes, and the token prompt.
 */
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";

/** Props of {@link ConfirmDialog}. */
export interface ConfirmProps {
  /** Heading. */
  title: string;
  /** What will happen. */
  children: ReactNode;
  /** Label of the confirming button. */
  confirmLabel: string;
  /** Called on confirm; the dialog shows its error and stays open if it rejects. */
  onConfirm: () => Promise<void>;
  /** Called on cancel or after a successful confirm. */
  onClose: () => void;
}

/** A modal asking to confirm a change. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      ref.current?.close();
      onClose();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="confirm-title" onCancel={onClose}>
      <h2 id="confirm-title">{title}</h2>
      <div className="dialog-body">{children}</div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={confirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** Props of {@link TokenDialog}. */
export interface TokenDialogProps {
  /** Why the token is asked for. */
  reason: string;
  /** Called with the token entered. */
  onSubmit: (token: string) => void;
}

/** Asks for the server's bearer token. */
export function TokenDialog({ reason, onSubmit }: TokenDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState("");
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onSubmit(value.trim());
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="token-title" onCancel={(e) => e.preventDefault()}>
      <form onSubmit={submit}>
        <h2 id="token-title">Sign in to this Keel server</h2>
        <p>{reason} It is kept for this browser tab only.</p>
        <label>
          Token
          <input
            type="password"
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        <div className="dialog-actions">
          <button type="submit" className="primary">
            Continue
          </button>
        </div>
      </form>
    </dialog>
  );
}
