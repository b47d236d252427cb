// The one HTTP client of the web app: same-origin cookies, the CSRF header on writes,
// and the server's error shape turned into a typed ApiError.

export interface ValidationIssue {
  path: string;
  message: string;
}

/** Codes the server may send, plus `network_error` for a request that never got an answer. */
export type ApiErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'conflict'
  | 'last_admin'
  | 'team_not_empty'
  | 'email_taken'
  | 'rate_limited'
  | 'invitation_invalid'
  | 'bad_request'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal'
  | 'unavailable'
  | 'network_error';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(input: { status: number; code: string; message: string; details?: unknown }) {
    super(input.message);
    this.name = 'ApiError';
    this.status = input.status;
    this.code = input.code;
    this.details = input.details;
  }

  /** Field-level issues of a `validation_failed` error, with paths joined by dots. */
  get issues(): ValidationIssue[] {
    if (this.code !== 'validation_failed' || !Array.isArray(this.details)) return [];
    return this.details.flatMap((item: unknown): ValidationIssue[] => {
      if (typeof item !== 'object' || item === null) return [];
      const record = item as { path?: unknown; message?: unknown };
      const raw = Array.isArray(record.path)
        ? record.path.map(String).join('.')
        : typeof record.path === 'string'
          ? record.path.replace(/^\//, '').replaceAll('/', '.')
          : '';
      // The server names where a value came from ("body.email"); fields are what the UI knows.
      const path = raw.replace(/^(body|querystring|params)(\.|$)/, '');
      const message = typeof record.message === 'string' ? record.message : '';
      return [{ path, message }];
    });
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let csrfToken: string | null = null;

/** Set from every session body; sent as `x-csrf-token` on writes. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

function buildUrl(path: string, query: Record<string, QueryValue> | undefined): string {
  const url = `/api${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

async function parseError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON (a proxy error page, an empty body): fall through to a generic error
  }
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: { code?: unknown; message?: unknown; details?: unknown } }).error
      : null;
  if (error && typeof error.code === 'string') {
    return new ApiError({
      status: response.status,
      code: error.code,
      message: typeof error.message === 'string' ? error.message : response.statusText,
      details: error.details,
    });
  }
  return new ApiError({
    status: response.status,
    code: response.status === 401 ? 'unauthenticated' : response.status === 404 ? 'not_found' : 'internal',
    message: response.statusText || `HTTP ${response.status}`,
  });
}

export async function request<T>(method: Method, path: string, options: RequestOptions & { form?: FormData } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A form (file upload) sets its own multipart content type with the boundary.
  if (options.body !== undefined && !options.form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.form ? { body: options.form } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'network_error', message: String(cause) });
  }

  if (!response.ok) throw await parseError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body === undefined ? {} : { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body === undefined ? {} : { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body === undefined ? {} : { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
  /** multipart/form-data, for file uploads. */
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
};
