// The brand profile dialog.
import { $ } from './dom.js';
import { api } from './api.js';

// ---------- brand dialog
export const brandDialog = $('#brand-dialog'), brandForm = $('#brand-form'), brandStatus = $('#brand-status');
export const BRAND_FIELDS = ['name', 'industry', 'audience', 'voice', 'notes'];
export async function openBrand() {
  brandStatus.textContent = 'Loading…'; brandStatus.className = '';
  brandDialog.showModal();
  try {
    const b = await api('GET', '/v1/brand');
    for (const f of BRAND_FIELDS) brandForm.elements[f].value = b[f] || '';
    brandStatus.textContent = '';
  } catch (e) { brandStatus.textContent = e.message; brandStatus.className = 'error-text'; }
}
brandForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = {}; for (const f of BRAND_FIELDS) body[f] = brandForm.elements[f].value;
  brandStatus.textContent = 'Saving…'; brandStatus.className = '';
  try { await api('PUT', '/v1/brand', body); brandStatus.textContent = 'Saved ✓'; }
  catch (e) { brandStatus.textContent = e.message; brandStatus.className = 'error-text'; }
});
