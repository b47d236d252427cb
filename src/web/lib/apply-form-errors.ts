import { isApiError } from '../api/client';

interface FormWithErrors {
  setFieldError: (path: string, error: string) => void;
  getValues: () => object;
}

/** Shows a `validation_failed` error's issues next to the fields they name. Returns true if any matched. */
export function applyFormErrors(form: FormWithErrors, error: unknown): boolean {
  if (!isApiError(error)) return false;
  const fields = Object.keys(form.getValues());
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
