// Calls to the management API with the API's own auth: a bearer token kept in this tab's session storage (never in
// a URL, never logged), or nothing when the server serves loopback clients without a token.

const base = new URL('../', import.meta.url); // the mount's prefix: the console lives at {prefix}/console/
const KEY = 'ominis.console.token';
const TIMEOUT_MS = 10000;

/** The API asked for a token this tab does not have (or no longer has right). */
export class AuthRequired extends Error {
  constructor() {
    super('the API needs the token');
    this.name = 'AuthRequired';
  }
}

/** A refusal or failure of the API, with its problem+json detail. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
  }
}

export function storedToken() {
  return sessionStorage.getItem(KEY);
}

export function keepToken(token) {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

function headers(token, extra) {
  const h = {Accept: 'application/json', ...extra};
  if (token) {
    h.Authorization = 'Bearer ' + token;
  }
  return h;
}

function url(path, params) {
  const u = new URL(path.replace(/^\//, ''), base);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') {
      u.searchParams.set(name, value);
    }
  }
  return u;
}

/** Whether the API needs a token and whether {@code token} (or the stored one) is accepted; never a 401. */
export async function session(token) {
  const r = await fetch(url('console/session'), {
    headers: headers(token === undefined ? storedToken() : token),
    cache: 'no-store',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!r.ok) {
    throw new ApiError(r.status, 'the console session check answered ' + r.status);
  }
  return r.json();
}

async function answer(r) {
  if (r.status === 401) {
    throw new AuthRequired();
  }
  const type = r.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await r.json() : null;
  if (!r.ok) {
    const detail = body && (body.detail || body.title);
    throw new ApiError(r.status, detail || ('HTTP ' + r.status));
  }
  return body;
}

export async function get(path, params) {
  const r = await fetch(url(path, params), {
    headers: headers(storedToken()),
    cache: 'no-store',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return answer(r);
}

/** A JSON merge patch; resolves with the answer's body and whether the server took it (200) or only queued it (202). */
export async function patch(path, body) {
  const r = await fetch(url(path), {
    method: 'PATCH',
    headers: headers(storedToken(), {'Content-Type': 'application/json'}),
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const data = await answer(r);
  return {status: r.status, body: data};
}
