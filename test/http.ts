import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../src/server/context.js';
import { TEST_PASSWORD } from './fixtures.js';

export interface Caller {
  cookie?: string;
  csrf?: string;
  bearer?: string;
}

/** One in-process request (no port): JSON in, the full response out. */
export function call(
  app: App,
  caller: Caller | null,
  method: NonNullable<InjectOptions['method']>,
  url: string,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (caller?.cookie) headers.cookie = caller.cookie;
  if (caller?.csrf) headers['x-csrf-token'] = caller.csrf;
  if (caller?.bearer) headers.authorization = `Bearer ${caller.bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
}

export async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<Caller & { body: Record<string, unknown> }> {
  const response = await call(app, null, 'POST', '/api/auth/sign-in', { email, password });
  if (response.statusCode !== 200) throw new Error(`sign-in as ${email} failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'attain_session');
  if (!cookie) throw new Error('no session cookie');
  const body = response.json() as Record<string, unknown>;
  return { cookie: `attain_session=${cookie.value}`, csrf: String(body.csrfToken), body };
}
