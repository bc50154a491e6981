// Post preview cards: the draft as each platform will show it, its length against the platform's
// limit, the schedule in the person's time, and Confirm / Edit / Cancel; post.status fills in the outcome.
import { list, el } from './dom.js';
import { api } from './api.js';
import { appendNode } from './messages.js';

function cardFor(id) {
  return list.querySelector(`.post-card[data-post-id="${CSS.escape(id || '')}"]`);
}

export function renderPostCard(d) {
  let card = cardFor(d.post_id);
  if (!card) { card = appendNode(el('div', 'post-card')); card.dataset.postId = d.post_id || ''; }
  card.textContent = '';
  card.dataset.state = 'draft';
  card.append(el('h4', null, 'Post preview'), el('div', 'text', d.text || ''));
  const targets = el('ul', 'targets');
  for (const t of d.targets || []) {
    const row = el('li', null, `${t.platform}: ${t.length} / ${t.limit}`);
    row.dataset.platform = t.platform;
    if (t.length > t.limit) row.className = 'over';
    targets.append(row);
  }
  card.append(targets);
  card.append(el('div', 'schedule', d.scheduled_local ? `Scheduled for ${d.scheduled_local}` : 'Publishes when you confirm'));
  const actions = el('div', 'actions');
  const confirm = el('button', 'confirm', 'Confirm');
  const cancel = el('button', 'cancel', 'Cancel');
  const edit = el('button', 'edit', 'Edit');
  const outcome = el('div', 'outcome');
  edit.addEventListener('click', () => startEditing(card, d));
  confirm.addEventListener('click', () => decide(card, 'POST', `/v1/posts/${encodeURIComponent(d.post_id)}/publish`, d.scheduled_local));
  cancel.addEventListener('click', () => decide(card, 'DELETE', `/v1/posts/${encodeURIComponent(d.post_id)}`, null));
  actions.append(confirm, edit, cancel);
  card.append(actions, outcome);
}

// The text becomes editable in place; Save sends it to be measured again for every platform, and
// the post.preview that follows redraws the card (a refusal, such as too long for X, stays shown).
function startEditing(card, d) {
  const text = card.querySelector('.text');
  const box = el('textarea', 'edit-text');
  box.value = d.text || '';
  box.rows = 5;
  text.replaceWith(box);
  const actions = card.querySelector('.actions');
  const save = el('button', 'save', 'Save');
  const discard = el('button', 'discard', 'Discard');
  const previous = [...actions.childNodes];
  actions.replaceChildren(save, discard);
  discard.addEventListener('click', () => { box.replaceWith(text); actions.replaceChildren(...previous); });
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      await api('PATCH', `/v1/posts/${encodeURIComponent(d.post_id)}`, { text: box.value });
      card.querySelector('.outcome').textContent = 'Saved.';
    } catch (e) {
      card.querySelector('.outcome').textContent = e.message;
      save.disabled = false;
    }
  });
  box.focus();
}

async function decide(card, method, path, scheduledLocal) {
  const outcome = card.querySelector('.outcome');
  for (const b of card.querySelectorAll('.actions button')) b.disabled = true;
  try {
    await api(method, path);
    card.dataset.state = method === 'DELETE' ? 'cancelled' : (scheduledLocal ? 'scheduled' : 'publishing');
    outcome.textContent = { cancelled: 'Cancelled: nothing was published.', scheduled: `Scheduled for ${scheduledLocal}.`,
                            publishing: 'Publishing…' }[card.dataset.state];
  } catch (e) {
    outcome.textContent = e.message;
    for (const b of card.querySelectorAll('.actions button')) b.disabled = false;
  }
}

export function updatePostCard(d) {
  const card = cardFor(d.post_id);
  if (!card) return;
  const row = card.querySelector(`.targets li[data-platform="${CSS.escape(d.platform || '')}"]`);
  if (!row) return;
  row.textContent = `${d.platform}: ${d.status}${d.error ? ' (' + d.error + ')' : ''}`;
  if (d.url && /^https?:\/\//.test(d.url)) {
    const link = el('a', null, 'open'); link.href = d.url; link.rel = 'noopener noreferrer'; link.target = '_blank';
    row.append(' · ', link);
  }
  row.dataset.status = d.status || '';
  if (d.status === 'published') {
    card.dataset.state = 'published';
    card.querySelector('.schedule').textContent = 'Published';
  }
}
