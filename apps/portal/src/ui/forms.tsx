/**
 * Forms show the API's own validation: `{fields: [{field, problem}]}` lands next to the input of
 * that name (aria-invalid, aria-describedby), and whatever names no input shows above the form.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError, errorMessage, type FieldProblem } from '../api/client';

export type FieldErrors = Record<string, string>;

/** Problems by field name; several for one field read as one sentence. */
export function fieldErrors(error: unknown): FieldErrors {
  const byField: FieldErrors = {};
  if (!(error instanceof ApiError)) return byField;
  for (const { field, problem } of error.fields) byField[field] = byField[field] ? `${byField[field]}; ${problem}` : problem;
  return byField;
}

/** The part of an error that no field of the form shows. */
export function unplacedProblems(error: unknown, fieldNames: readonly string[]): { message: string | null; fields: FieldProblem[] } {
  if (!error) return { message: null, fields: [] };
  if (!(error instanceof ApiError)) return { message: errorMessage(error), fields: [] };
  const rest = error.fields.filter((f) => !fieldNames.includes(f.field));
  if (error.fields.length > 0 && rest.length === 0) return { message: null, fields: [] };
  return { message: error.fields.length > 0 ? 'Some details need attention.' : error.message, fields: rest };
}

/** The form-level message: problems no field shows, or the error itself. */
export function FormError({ error, fields }: { error: unknown; fields: readonly string[] }) {
  const { message, fields: rest } = unplacedProblems(error, fields);
  if (!message && rest.length === 0) return null;
  return (
    <div className="form-error" role="alert">
      {message && <p>{message}</p>}
      {rest.length > 0 && (
        <ul>
          {rest.map((f) => (
            <li key={`${f.field}:${f.problem}`}>
              <strong>{f.field}</strong> {f.problem}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface FieldShellProps {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-invalid': boolean | undefined; 'aria-describedby': string | undefined }) => ReactNode;
  className?: string;
}

function FieldShell({ label, error, hint, children, className }: FieldShellProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

type Common = { label: ReactNode; error?: string; hint?: ReactNode; className?: string };

export function TextField({ label, error, hint, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement> & { name: string }) {
  return (
    <FieldShell label={label} error={error} hint={hint} className={className}>
      {(a11y) => <input {...input} {...a11y} />}
    </FieldShell>
  );
}

export function TextArea({ label, error, hint, className, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string }) {
  return (
    <FieldShell label={label} error={error} hint={hint} className={className}>
      {(a11y) => <textarea {...input} {...a11y} />}
    </FieldShell>
  );
}

export function SelectField({
  label,
  error,
  hint,
  className,
  children,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { name: string; children: ReactNode }) {
  return (
    <FieldShell label={label} error={error} hint={hint} className={className}>
      {(a11y) => (
        <select {...select} {...a11y}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}

/** The values of a submitted form by input name, as strings (empty ones left out). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') values[key] = value.trim();
  return values;
}
