// Writing and sending a message, with the pending answer bubble and the reasons a message was not sent.
import { $, list, input, sendBtn, sleep } from './dom.js';
import { state } from './state.js';
import { api } from './api.js';
import { loadConversations, newConversation, loadHistory } from './conversations.js';
import { makeMessage, appendNode, byId, scrollDown, setMetaError } from './messages.js';
import { attachedIds, hasAttachments, clearAttachments } from './attachments.js';

// ---------- sending
export function updateSend() {
  sendBtn.disabled = (!input.value.trim() && !hasAttachments()) || !state.token;
  input.style.height = 'auto';
  input.style.height = Math.min(input.scrollHeight, 200) + 'px';
  input.style.overflowY = input.scrollHeight > 200 ? 'auto' : 'hidden';
}

export function setComposerError(text) { const e = $('#composer-error'); e.textContent = text; e.hidden = !text; }

// The message's own id: a retry carries it, so the server stores and answers the message once.
// (crypto.randomUUID needs a secure context; getRandomValues does not.)
function messageKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// Sends the message; when the server is briefly unavailable (503) or unreachable, sends the same
// message again (same id) a few times, as long as Retry-After says, before giving up.
async function postMessage(id, body) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api('POST', `/v1/conversations/${encodeURIComponent(id)}/messages`, body);
    } catch (e) {
      if (attempt >= 5 || !(e.status === 503 || e.status === 0)) throw e;
      await sleep(Math.min(8, Number(e.retryAfter) || attempt) * 1000);
    }
  }
}

export async function send() {
  const text = input.value.trim();
  const media = attachedIds();
  if (!text && !media.length) return;
  setComposerError('');
  try { if (!state.convId) await newConversation(); } catch (e) { if (e.status !== 401) setComposerError(e.message); return; }
  const id = state.convId;
  input.value = ''; clearAttachments(); updateSend();
  const shown = [text, ...media.map(() => '[image]')].filter(Boolean).join('\n\n');   // as the server shows it
  const mine = appendNode(makeMessage('user', shown, null, 'sending'));
  scrollDown(true);
  await Promise.race([state.streamReady, sleep(3000)]);   // so the answer's first events are not missed
  try {
    const body = Object.assign({ text, client_message_id: messageKey() }, media.length ? { media } : {});
    const r = await postMessage(id, body);
    if (state.convId !== id) return;
    if (byId(r.message_id)) mine.remove();               // message.received got here first
    else { mine.dataset.messageId = r.message_id; mine.dataset.state = 'sent'; }
    if (!list.querySelector(`.message.assistant[data-reply-to="${CSS.escape(r.message_id)}"]`)) {
      const p = makeMessage('assistant', '', null, 'pending', r.message_id);
      p.classList.add('pending');
      appendNode(p);
      // Safety net: if no event for this answer arrives (stream trouble), catch up from history.
      setTimeout(() => { if (p.isConnected && p.classList.contains('pending') && state.convId === id) loadHistory(id); }, 20000);
    }
    loadConversations().catch(() => {});                  // new title / order
  } catch (e) {
    if (e.status === 401) return;
    mine.dataset.state = 'unsent';
    const why = e.status === 429 && e.retryAfter ? `${e.message} (retry in ${e.retryAfter}s)` : e.message;
    setMetaError(mine.querySelector('.meta'), 'Not sent: ' + why);
    if (!input.value) { input.value = text; updateSend(); }
  }
}
