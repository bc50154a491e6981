// Every call to Leopost's API goes through `api`: it adds the bearer token, and a 401 signs out with the server's reason.
import { state } from './state.js';
import { signOut } from './session.js';

export class ApiError extends Error {
  constructor(status, message, retryAfter) { super(message); this.status = status; this.retryAfter = retryAfter; }
}

// Every API call goes through here: adds the bearer token; a 401 signs out with the server's reason.
export async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: Object.assign({ Authorization: 'Bearer ' + state.token }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) { throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.'); }
  let data = null;
  try { data = await res.json(); } catch (e) { /* empty or non-JSON body */ }
  const message = (data && data.error && data.error.message) || `Request failed (HTTP ${res.status}).`;
  if (res.status === 401) { signOut(message); throw new ApiError(401, message); }
  if (!res.ok) throw new ApiError(res.status, message, res.headers.get('Retry-After'));
  return data;
}
