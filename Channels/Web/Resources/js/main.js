// The page's entry: wires the controls to their parts and signs in (no framework, no build step: each concern is a module of its own).
import { $, input } from './dom.js';
import { TOKEN_KEY } from './state.js';
import { api } from './api.js';
import { signIn, signOut, showSignin, tokenFromFragment } from './session.js';
import { newConversation } from './conversations.js';
import { closeStream } from './stream.js';
import { updateSend, setComposerError, send } from './composer.js';
import { attach } from './attachments.js';
import { brandDialog, openBrand } from './brand.js';

// ---------- wiring
$('#sign-in').onclick = () => signIn($('#token-input').value);
$('#token-input').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('#sign-in').click(); } });
$('#sign-out').onclick = () => signOut('');
$('#new-conversation').onclick = async () => {
  $('#app').classList.remove('menu-open');
  try { await newConversation(); input.focus(); } catch (e) { if (e.status !== 401) setComposerError(e.message); }
};
$('#brand-button').onclick = openBrand;
$('#link-button').onclick = async () => {
  $('#link-command').textContent = '…'; $('#link-status').textContent = ''; $('#link-status').className = '';
  $('#link-dialog').showModal();
  try { $('#link-command').textContent = (await api('POST', '/v1/link-codes')).command; }
  catch (e) { $('#link-status').textContent = e.message; $('#link-status').className = 'error-text'; }
};
$('#brand-cancel').onclick = () => brandDialog.close();
$('#menu').onclick = (e) => { e.stopPropagation(); $('#app').classList.toggle('menu-open'); };
document.querySelector('main').addEventListener('click', () => $('#app').classList.remove('menu-open'));
$('#composer').addEventListener('submit', (e) => { e.preventDefault(); send(); });
input.addEventListener('input', updateSend);
$('#attach').addEventListener('click', () => $('#attach-input').click());
$('#attach-input').addEventListener('change', async (e) => {
  const files = [...e.target.files];
  e.target.value = '';
  setComposerError('');
  await attach(files, setComposerError);
});
document.addEventListener('attachments-changed', updateSend);
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
});


window.addEventListener('hashchange', () => { const t = tokenFromFragment(); if (t) { closeStream(); signIn(t); } });
(function boot() {
  const token = tokenFromFragment() || localStorage.getItem(TOKEN_KEY);
  if (token) signIn(token); else showSignin('');
})();
