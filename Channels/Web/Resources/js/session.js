// Signing in and out: a token from the sign-in box, the address (`#token=`) or local storage.
import { $, input, el } from './dom.js';
import { TOKEN_KEY, state } from './state.js';
import { api } from './api.js';
import { loadConversations, selectConversation } from './conversations.js';
import { showEmpty } from './messages.js';
import { closeStream } from './stream.js';

// ---------- sign in / out
export async function signIn(token) {
  state.token = token.trim();
  if (!state.token) return showSignin('Paste a token first.');
  $('#sign-in').disabled = true;
  try {
    const me = await api('GET', '/v1/whoami');
    localStorage.setItem(TOKEN_KEY, state.token);
    const who = $('#who'); who.textContent = '';
    who.append('Signed in as ', el('b', null, me.user), ' · ', el('span', null, me.tenant_id));
    who.title = `${me.user} @ ${me.tenant_id}`;
    $('#signin-screen').hidden = true; $('#app').hidden = false;
    await adoptBrowserTimeZone();
    await loadConversations();
    if (state.conversations.length) await selectConversation(state.conversations[0].id);
    else showEmpty();
    document.body.dataset.ready = '1';   // marker for scripts: signed in and first screen loaded
    input.focus();
  } catch (e) {
    if (e.status !== 401) showSignin(e.message);
  } finally { $('#sign-in').disabled = false; }
}

// The assistant reads "tomorrow at 10" in the person's zone: the browser's, unless they chose one.
async function adoptBrowserTimeZone() {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const current = await api('GET', '/v1/me/time-zone');
    if (zone && !current.time_zone) await api('PUT', '/v1/me/time-zone', { time_zone: zone });
  } catch (e) {
    if (e.status === 401) throw e;   // otherwise the tenant's zone stands; nothing to show
  }
}

export function signOut(reason) {
  closeStream();
  state.token = null; state.convId = null;
  delete document.body.dataset.ready;
  localStorage.removeItem(TOKEN_KEY);
  showSignin(reason);
}

export function showSignin(reason) {
  $('#app').hidden = true; $('#signin-screen').hidden = false;
  const err = $('#signin-error');
  err.textContent = reason || ''; err.hidden = !reason;
  $('#token-input').focus();
}


// Boot: #token=... in the URL signs in and is removed from the address bar; else the stored token.
export function tokenFromFragment() {
  const m = location.hash.match(/[#&]token=([^&]+)/);
  if (!m) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(m[1]);
}
