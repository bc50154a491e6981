// The message list's elements: bubbles, answers as they grow, feedback thumbs, notes and the empty state.
import { list, input, el } from './dom.js';
import { api } from './api.js';
import { updateSend } from './composer.js';

// ---------- message elements
export function makeMessage(role, text, id, msgState, replyTo) {
  const m = el('div', 'message ' + role);
  if (id) m.dataset.messageId = id;
  if (msgState) m.dataset.state = msgState;
  if (replyTo) m.dataset.replyTo = replyTo;
  const bubble = el('div', 'bubble');
  bubble.append(el('div', 'text', text || ''));
  if (role === 'assistant') { const t = el('span', 'typing'); t.append(el('i'), el('i'), el('i')); bubble.append(t); }
  m.append(bubble, el('div', 'meta'));
  return m;
}

export function appendNode(node) {
  const empty = list.querySelector('.empty'); if (empty) empty.remove();
  const stick = nearBottom();
  list.append(node);
  scrollDown(stick);
  return node;
}

export const byId = (id) => id ? list.querySelector(`.message[data-message-id="${CSS.escape(id)}"]`) : null;
export const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 120;
export function scrollDown(force) { if (force) list.scrollTop = list.scrollHeight; }

// The answer bubble for an event: by message_id, else the pending "typing" bubble for reply_to, else a new one.
export function answerBubble(d) {
  let m = byId(d.message_id);
  if (!m && d.reply_to) m = list.querySelector(`.message.assistant.pending[data-reply-to="${CSS.escape(d.reply_to)}"]`);
  if (!m) m = appendNode(makeMessage('assistant', '', null, 'streaming', d.reply_to));
  m.classList.remove('pending');
  m.dataset.messageId = d.message_id;
  if (m.dataset.state === 'pending') m.dataset.state = 'streaming';
  return m;
}

// Thumb icon as inline SVG (emoji fonts are not everywhere); the "down" one is the same icon flipped.
export const THUMB_SVG = '<svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" ' +
  'stroke-linecap="round" stroke-linejoin="round"><path d="M7 10v11H3V10h4zm0 0 4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8' +
  'a2 2 0 0 1-2 1.7H7"/></svg>';
export function addFeedback(m, chosen) {
  const meta = m.querySelector('.meta');
  if (meta.querySelector('.fb')) return;
  for (const [rating, label] of [['up', 'Helpful'], ['down', 'Not helpful']]) {
    const b = el('button', 'fb');
    b.innerHTML = THUMB_SVG;   // static icon markup, never model output
    b.type = 'button'; b.title = label; b.dataset.rating = rating; b.setAttribute('aria-label', label);
    b.setAttribute('aria-pressed', String(chosen === rating));
    b.onclick = async () => {
      try {
        await api('POST', `/v1/messages/${encodeURIComponent(m.dataset.messageId)}/feedback`, { rating });
        meta.querySelectorAll('.fb').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
        const err = meta.querySelector('.error-text'); if (err) err.remove();
      } catch (e) { if (e.status !== 401) setMetaError(meta, e.message); }
    };
    meta.append(b);
  }
}

export function setMetaError(meta, text) {
  let err = meta.querySelector('.error-text');
  if (!err) meta.append(err = el('span', 'error-text'));
  err.textContent = text;
}

export function addNote(text) { appendNode(el('div', 'note', text)); }

export function showEmpty() {
  list.querySelectorAll('.empty').forEach((e) => e.remove());
  const box = el('div', 'empty');
  box.append(el('span', 'logo', 'L'), el('h3', null, 'What are we posting today?'),
             el('div', null, 'Ask for drafts, captions, hashtags or a content plan. Answers follow your brand profile.'));
  const chips = el('div', 'chips');
  for (const s of ['Draft a post about our spring sale', 'Suggest 5 hashtags for a product launch', 'Plan next week\u2019s posts']) {
    const c = el('button', 'chip', s); c.type = 'button';
    c.onclick = () => { input.value = s; updateSend(); input.focus(); };
    chips.append(c);
  }
  box.append(chips); list.append(box);
}
