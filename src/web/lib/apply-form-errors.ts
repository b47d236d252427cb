import { isApiError } from '../api/client';

interface FormWithErrors {
  setFieldError: (path: string, error: string) => void;
  getValues: () => object;
}

/** Error codes that belong to one field, with the text to show there. */
export type CodeFields = Record<string, { field: string; message: string }>;

/**
 * Shows a server error next to the field it concerns: a `validation_failed` error's issues by
 * path, or a code listed in `codeFields` (such as `email_taken`). Returns true if any matched,
 * so the caller only falls back to a notification for the rest.
 */
export function applyFormErrors(form: FormWithErrors, error: unknown, codeFields: CodeFields = {}): boolean {
  if (!isApiError(error)) return false;
  const fields = Object.keys(form.getValues());
  const byCode = codeFields[error.code];
  if (byCode && fields.includes(byCode.field)) {
    form.setFieldError(byCode.field, byCode.message);
    return true;
  }
  let matched = false;
  for (const issue of error.issues) {
    const field = issue.path.split('.')[0] ?? '';
    if (fields.includes(field)) {
      form.setFieldError(field, issue.message);
      matched = true;
    }
  }
  return matched;
}
