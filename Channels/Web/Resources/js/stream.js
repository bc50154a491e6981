// The selected conversation's live events: one EventSource, its recovery, and what each event does to the page.
import { $, list, sleep, el } from './dom.js';
import { EVENT_NAMES, state } from './state.js';
import { api } from './api.js';
import { renderPostCard, updatePostCard } from './posts.js';
import { loadHistory } from './conversations.js';
import { makeMessage, appendNode, byId, nearBottom, scrollDown, answerBubble, addFeedback, addNote } from './messages.js';

// ---------- live events (one EventSource: the selected conversation)
export function openStream(id) {
  const url = `/v1/conversations/${encodeURIComponent(id)}/events?access_token=${encodeURIComponent(state.token)}`;
  const es = new EventSource(url);
  state.es = es;
  state.streamReady = new Promise((resolve) => es.addEventListener('open', resolve, { once: true }));
  setLive('reconnecting');
  for (const name of EVENT_NAMES) {
    es.addEventListener(name, (ev) => {
      if (state.es !== es) return;            // stale stream of another conversation
      let d; try { d = JSON.parse(ev.data); } catch (e) { return; }
      if (state.buffering) state.queue.push([name, d]); else handleEvent(name, d);
    });
  }
  es.onopen = () => { if (state.es === es) { setLive('live'); state.retryDelay = 1000; } };
  es.onerror = () => {
    if (state.es !== es) return;
    // CONNECTING: the browser retries by itself with Last-Event-ID. CLOSED: the server refused; find out why.
    if (es.readyState === EventSource.CLOSED) recoverStream(id); else setLive('reconnecting');
  };
}

export async function recoverStream(id) {
  setLive('offline');
  closeStream();
  try { await api('GET', '/v1/whoami'); } catch (e) { if (e.status === 401) return; }  // 401 -> signed out
  await sleep(state.retryDelay);
  state.retryDelay = Math.min(state.retryDelay * 2, 30000);
  if (state.convId !== id || !state.token) return;
  openStream(id);
  loadHistory(id);   // a fresh stream has no Last-Event-ID: catch up from history
}

export function closeStream() {
  if (state.es) { state.es.close(); state.es = null; }
  setLive('offline');
}

export function setLive(status) {
  const l = $('#live'); l.dataset.status = status; l.hidden = !state.convId;
  l.textContent = { live: 'Live', reconnecting: 'Connecting…', offline: 'Offline' }[status];
}

export function handleEvent(name, d) {
  if (name === 'message.received') {
    if (!byId(d.message_id)) appendNode(makeMessage('user', d.text, d.message_id, 'sent'));
  } else if (name === 'message.delta') {
    const m = answerBubble(d);
    if (m.dataset.state !== 'streaming' || m.dataset.fromHistory) return;  // late delta after completion
    const attempt = Number(d.attempt) || 1;
    const seen = state.attempts.get(d.message_id) || 0;
    if (attempt < seen) return;                       // stale piece from an older attempt
    const textEl = m.querySelector('.text');
    if (attempt > seen) { if (seen) textEl.textContent = ''; state.attempts.set(d.message_id, attempt); }
    const stick = nearBottom();
    textEl.textContent += d.text || '';
    scrollDown(stick);
  } else if (name === 'message.completed') {
    const m = answerBubble(d);                        // a duplicate finds the same bubble: one answer
    const stick = nearBottom();
    m.querySelector('.text').textContent = d.text || '';
    m.dataset.state = 'completed'; delete m.dataset.fromHistory;
    if (d.model) m.title = `${d.provider || ''} ${d.model}`.trim();
    addFeedback(m, null);
    scrollDown(stick);
  } else if (name === 'message.failed') {
    const m = answerBubble(d);
    m.querySelector('.text').textContent = d.message || 'The assistant could not answer. Please try again.';
    m.dataset.state = 'failed'; delete m.dataset.fromHistory;
  } else if (name === 'tool.started') {
    // "Drafting a post for Mastodon…" under the answer while the tool runs.
    const m = answerBubble(d);
    let status = m.querySelector('.tool-status');
    if (!status) { status = el('div', 'tool-status'); m.querySelector('.text').after(status); }
    status.textContent = d.label || 'Working…';
    status.dataset.call = d.call_id || '';
  } else if (name === 'tool.finished') {
    const status = byId(d.message_id)?.querySelector(`.tool-status[data-call="${CSS.escape(d.call_id || '')}"]`);
    if (status) status.remove();
  } else if (name === 'post.preview') {
    renderPostCard(d);
  } else if (name === 'post.status') {
    updatePostCard(d);
  } else if (name === 'events.closed') {
    // Too many streams open for this person: this one stays closed (no reconnect loop with the others).
    closeStream();
    addNote(d.message || 'This conversation stopped updating here; reload to follow it.');
  } else if (name === 'events.missed') {
    const id = state.convId;
    loadHistory(id).then(() => { if (state.convId === id) addNote(d.message || 'Some updates were missed; history reloaded.'); });
  }
}
