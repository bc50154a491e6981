// The conversation list, choosing one, and its history (loaded while the live stream buffers, so nothing is missed).
import { $, list, fmtTime, el } from './dom.js';
import { state } from './state.js';
import { api } from './api.js';
import { makeMessage, scrollDown, addFeedback, addNote, showEmpty } from './messages.js';
import { openStream, closeStream, handleEvent } from './stream.js';
import { updateSend, setComposerError } from './composer.js';

// ---------- conversations
export async function loadConversations() {
  const data = await api('GET', '/v1/conversations');
  state.conversations = data.conversations || [];
  renderConversations();
}

export function renderConversations() {
  const nav = $('#conversation-list'); nav.textContent = '';
  if (!state.conversations.length) nav.append(el('p', 'side-empty', 'No conversations yet. Start one!'));
  for (const c of state.conversations) {
    const b = el('button', 'conv' + (c.id === state.convId ? ' active' : ''));
    b.type = 'button'; b.dataset.id = c.id;
    const t = el('span', 't', c.title || 'New conversation');
    const d = el('span', 'd', fmtTime(c.updated_at || c.created_at));
    if (c.channel && c.channel !== 'web') d.append(el('span', 'badge', c.channel));
    b.append(t, d);
    b.onclick = () => { $('#app').classList.remove('menu-open'); selectConversation(c.id); };
    nav.append(b);
    if (c.id === state.convId) $('#conv-title').textContent = c.title || 'New conversation';
  }
}

export async function newConversation() {
  const conv = await api('POST', '/v1/conversations', {});
  state.conversations.unshift(conv);
  await selectConversation(conv.id);
  return conv;
}

export async function selectConversation(id) {
  closeStream();
  state.convId = id; state.attempts.clear();
  document.body.dataset.conversationId = id;
  const conv = state.conversations.find((c) => c.id === id);
  $('#conv-title').textContent = (conv && conv.title) || 'New conversation';
  renderConversations(); setComposerError(''); updateSend();
  openStream(id);               // open first, buffer events, so nothing is lost while history loads
  await loadHistory(id);
}

// ---------- history
export async function loadHistory(id, before) {
  if (!before) { state.buffering = true; state.queue = []; }
  let data;
  try {
    const q = new URLSearchParams({ limit: '50' });
    if (before) q.set('before', before);
    data = await api('GET', `/v1/conversations/${encodeURIComponent(id)}/messages?${q}`);
  } catch (e) {
    if (state.convId === id && e.status !== 401) addNote('Could not load messages: ' + e.message);
    data = { messages: [], next_before: null };
  }
  if (state.convId !== id) return;
  const frag = document.createDocumentFragment();
  for (const m of data.messages || []) frag.append(renderStored(m));
  if (before) {
    $('#load-earlier').after(frag);
  } else {
    list.textContent = '';
    const more = el('button', 'ghost', 'Load earlier messages'); more.id = 'load-earlier'; more.type = 'button';
    more.onclick = () => loadHistory(id, state.nextBefore);
    list.append(more, frag);
    // Apply the events that arrived meanwhile; duplicates are ignored by message_id.
    state.buffering = false;
    for (const [name, d] of state.queue.splice(0)) handleEvent(name, d);
    if (!list.querySelector('.message, .post-card')) showEmpty();
    scrollDown(true);
  }
  state.nextBefore = data.next_before || null;
  $('#load-earlier').hidden = !state.nextBefore;
}

export function renderStored(m) {
  if (m.direction !== 'outbound') return makeMessage('user', m.text, m.id, 'sent');
  const st = String(m.status || '').toLowerCase();
  const s = /fail|error/.test(st) ? 'failed' : /pend|stream|queue|progress|generat/.test(st) ? 'streaming' : 'completed';
  const e = makeMessage('assistant', m.text, m.id, s, m.reply_to);
  if (s === 'streaming') e.dataset.fromHistory = '1';   // partial text: wait for completed, ignore deltas
  if (s === 'completed') addFeedback(e, m.feedback);
  return e;
}
