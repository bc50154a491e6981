// Small DOM helpers every part of the page shares: lookup, safe element creation (model output is only ever set as text), times, and the page's fixed elements.
import { send } from './composer.js';

export const $ = (sel) => document.querySelector(sel);

export const list = $('#messages'), input = $('#message-input'), sendBtn = $('#send');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export function fmtTime(iso) {
  const d = new Date(iso); if (isNaN(d)) return '';
  const mins = (Date.now() - d) / 60000;
  if (mins < 1) return 'just now';
  if (mins < 60) return Math.floor(mins) + ' min ago';
  if (d.toDateString() === new Date().toDateString()) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;   // model output is only ever set as text
  return e;
}
