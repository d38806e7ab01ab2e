// The API is the only backend. Every call sends the ID token; a 401 gets one quiet refresh
// and a retry, and otherwise ends the session: back to sign-in, then back to where one was.
import { getConfig } from './config.js';
import { idToken, refresh, session, signOut } from './auth.js';
import { currentLanguage, t } from './i18n.js';

export class ApiError extends Error {
  // status: HTTP status (0: no answer); code and message from the API's error body;
  // fields: [{field, code, message}] naming the offending inputs (400s), in the app's language.
  constructor(status, code, message, fields = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

let onExpired = () => {};

export function whenSessionExpires(handler) {
  onExpired = handler;
}

function url(path, query) {
  const address = new URL(getConfig().api_url + path);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') address.searchParams.set(name, value);
  }
  return address;
}

async function send(method, path, { body, query, token, file }) {
  // Errors come back in the app's language (a signed-in member's profile language wins).
  const headers = { 'Accept-Language': currentLanguage() };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // a file is sent as it is (a bank statement: XML), never as JSON
  if (file !== undefined) headers['Content-Type'] = 'application/xml';
  try {
    return await fetch(url(path, query), {
      method, headers, body: file !== undefined ? file : body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
}

async function errorFrom(response) {
  let answer = {};
  try {
    answer = await response.json();
  } catch { /* not JSON: the status says enough */ }
  const message = answer.message || t('error.status', { status: response.status });
  return new ApiError(response.status, answer.error || 'error', message, answer.fields || []);
}

// api('/members/me') -> the parsed JSON answer; throws ApiError.
export async function api(path, { method = 'GET', body, query, raw = false, auth = true, file } = {}) {
  let response = await send(method, path, { body, query, file, token: auth ? await idToken() : null });
  if (response.status === 401 && auth) {
    const renewed = await refresh();
    if (renewed) response = await send(method, path, { body, query, file, token: renewed.idToken });
    if (response.status === 401) {
      // Several calls of one page may fail together: the first ends the session and
      // remembers the page; the others must not clear what it remembered.
      if (session()) {
        signOut();
        onExpired();
      }
      throw new ApiError(401, 'expired', t('error.expired'));
    }
  }
  if (!response.ok) throw await errorFrom(response);
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

// Every page of a list, for the small lists the app resolves names from.
export async function all(path, query = {}) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(path, { query: { ...query, limit: 200, cursor } });
    items.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}

// Cached per session: who am I, and member names by id (from the directory).
let me = null;
let names = null;

export async function whoAmI() {
  me = me || await api('/members/me');
  return me;
}

export async function memberNames() {
  if (!names) {
    names = new Map((await all('/members')).map((m) => [m.id, m.name]));
  }
  return names;
}

let policy = null;

export async function getPolicy() {
  policy = policy || await api('/policy', { auth: false });
  return policy;
}

export function forget() {
  me = null;
  names = null;
}
