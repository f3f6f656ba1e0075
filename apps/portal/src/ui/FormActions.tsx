/** A form's closing row: a way out, and the submit button that says when it is working. */
export function FormActions({
  onCancel,
  cancelLabel = 'Cancel',
  submitLabel,
  pendingLabel,
  pending,
  danger = false,
}: {
  onCancel: () => void;
  cancelLabel?: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  danger?: boolean;
}) {
  return (
    <div className="form-actions">
      <button type="button" className="button" onClick={onCancel}>
        {cancelLabel}
      </button>
      <button type="submit" className={`button ${danger ? 'button--danger' : 'button--primary'}`} disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </div>
  );
}
