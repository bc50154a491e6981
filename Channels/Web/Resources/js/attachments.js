// Images attached to the next message: each is uploaded at once (POST /v1/media, the raw file),
// shown as a chip with its name and a remove button, and sent with the message by id.
import { el } from './dom.js';
import { state } from './state.js';
import { ApiError } from './api.js';

const MAX = 4;
const pending = [];          // { id, name }
const chips = () => document.getElementById('attachments');   // looked up late: dom.js imports this module's importer

export function attachedIds() { return pending.map((p) => p.id); }
export function hasAttachments() { return pending.length > 0; }
export function clearAttachments() { pending.length = 0; render(); }

async function upload(file) {
  let res;
  try {
    res = await fetch('/v1/media', {
      method: 'POST', headers: { Authorization: 'Bearer ' + state.token, 'Content-Type': file.type || 'application/octet-stream' }, body: file,
    });
  } catch (e) { throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.'); }
  let data = null;
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) throw new ApiError(res.status, (data && data.error && data.error.message) || `Upload failed (HTTP ${res.status}).`);
  return data.media_id;
}

function render() {
  chips().replaceChildren(...pending.map((p, index) => {
    const chip = el('span', 'chip', p.name);
    const remove = el('button', 'remove', '×');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Remove ${p.name}`);
    remove.addEventListener('click', () => { pending.splice(index, 1); render(); document.dispatchEvent(new Event('attachments-changed')); });
    chip.append(remove);
    return chip;
  }));
  chips().hidden = pending.length === 0;
}

// Uploads the chosen files; a refused one (too large, not an image) is reported, the rest kept.
export async function attach(files, report) {
  for (const file of files) {
    if (pending.length >= MAX) { report(`At most ${MAX} images per message.`); break; }
    try { pending.push({ id: await upload(file), name: file.name || 'image' }); } catch (e) { report(`${file.name}: ${e.message}`); }
    render();
  }
  document.dispatchEvent(new Event('attachments-changed'));
}
