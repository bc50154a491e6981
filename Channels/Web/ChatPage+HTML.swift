extension ChatPage {
    /// The page: sign-in with a token (or `#token=` in the address), conversations, streaming
    /// answers through `EventSource`, thumbs up/down, post previews and the brand profile.
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Leopost</title>
        <link rel="icon" href="data:,">
        <style>
          :root {
            --bg: #f5f6fa; --panel: #fff; --line: #e4e6ef; --text: #1d2130; --muted: #6b7185;
            --accent: #5b4cf0; --accent-soft: #eeecfe; --danger: #c9302c; --danger-soft: #fdecec;
            --radius: 14px; --shadow: 0 1px 2px rgba(20,24,40,.06), 0 4px 16px rgba(20,24,40,.05);
          }
          * { box-sizing: border-box; }
          html, body { height: 100%; margin: 0; }
          body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); background: var(--bg); }
          button { font: inherit; cursor: pointer; border: 0; border-radius: 10px; }
          button:disabled { cursor: not-allowed; opacity: .45; }
          textarea, input { font: inherit; color: inherit; }
          [hidden] { display: none !important; }
          .primary { background: var(--accent); color: #fff; padding: 10px 18px; font-weight: 600; }
          .primary:hover:not(:disabled) { filter: brightness(1.08); }
          .ghost { background: transparent; color: var(--muted); padding: 6px 10px; }
          .ghost:hover { background: var(--accent-soft); color: var(--accent); }
          .logo { display: inline-grid; place-items: center; width: 34px; height: 34px; border-radius: 10px;
                  background: linear-gradient(135deg, #7b5cff, #4b8dff); color: #fff; font-weight: 800; }
          .error-text { color: var(--danger); }

          /* ---- sign-in screen */
          #signin-screen { min-height: 100%; display: grid; place-items: center; padding: 24px;
                           background: radial-gradient(circle at 20% 10%, #e8e4ff, transparent 45%), var(--bg); }
          .signin-card { width: min(440px, 100%); background: var(--panel); border-radius: 20px; padding: 32px; box-shadow: var(--shadow); }
          .signin-card h1 { margin: 14px 0 4px; font-size: 24px; }
          .signin-card p { color: var(--muted); margin: 0 0 16px; }
          .signin-card code { background: var(--bg); padding: 2px 6px; border-radius: 6px; font-size: 13px; }
          #token-input { width: 100%; height: 96px; resize: vertical; padding: 10px 12px; border: 1px solid var(--line);
                         border-radius: 10px; font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
          #token-input:focus, #message-input:focus, dialog input:focus, dialog textarea:focus { outline: 2px solid var(--accent-soft); border-color: var(--accent); }
          #sign-in { width: 100%; margin-top: 12px; }
          #signin-error { color: var(--danger); background: var(--danger-soft); padding: 8px 12px; border-radius: 8px; }

          /* ---- app layout: sidebar + chat */
          #app { display: grid; grid-template-columns: 280px 1fr; height: 100%; }
          #sidebar { background: var(--panel); border-right: 1px solid var(--line); display: flex; flex-direction: column; min-height: 0; }
          .side-head { display: flex; align-items: center; gap: 10px; padding: 18px 18px 12px; font-weight: 700; font-size: 18px; }
          #new-conversation { margin: 0 14px 10px; }
          #conversation-list { flex: 1; overflow-y: auto; padding: 4px 8px; }
          .conv { display: block; width: 100%; text-align: left; background: none; padding: 10px 12px; margin: 2px 0; }
          .conv:hover { background: var(--bg); }
          .conv.active { background: var(--accent-soft); }
          .conv .t { display: block; font-weight: 550; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
          .conv .d { font-size: 12px; color: var(--muted); }
          .badge { font-size: 11px; padding: 1px 7px; border-radius: 99px; background: var(--bg); color: var(--muted); margin-left: 6px; }
          .side-empty { color: var(--muted); font-size: 13px; padding: 8px 12px; margin: 0; }
          .side-foot { border-top: 1px solid var(--line); padding: 12px 14px; font-size: 13px; }
          #who { color: var(--muted); margin-bottom: 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
          #who b { color: var(--text); }
          .side-foot .row { display: flex; gap: 6px; }

          main { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
          .topbar { display: flex; align-items: center; gap: 10px; padding: 14px 24px; border-bottom: 1px solid var(--line); background: rgba(255,255,255,.7); }
          .topbar h2 { margin: 0; font-size: 16px; flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
          #menu { display: none; background: none; font-size: 20px; padding: 4px 8px; }
          #live { font-size: 12px; color: var(--muted); display: flex; align-items: center; gap: 6px; }
          #live::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #b6bac8; }
          #live[data-status="live"]::before { background: #2bb673; }
          #live[data-status="reconnecting"]::before { background: #f0a020; }

          #messages { flex: 1; overflow-y: auto; padding: 24px max(24px, calc((100% - 820px) / 2)); display: flex; flex-direction: column; gap: 14px; }
          #load-earlier { align-self: center; }
          .empty { margin: auto; text-align: center; color: var(--muted); max-width: 420px; }
          .empty h3 { color: var(--text); margin: 12px 0 4px; }
          .chips { display: flex; flex-wrap: wrap; gap: 8px; justify-content: center; margin-top: 14px; }
          .chip { background: var(--panel); border: 1px solid var(--line); padding: 6px 12px; border-radius: 99px; color: var(--text); font-size: 13px; }
          .chip:hover { border-color: var(--accent); color: var(--accent); }

          /* ---- messages: user right, assistant left */
          .message { display: flex; flex-direction: column; max-width: min(680px, 85%); }
          .message.user { align-self: flex-end; align-items: flex-end; }
          .message.assistant { align-self: flex-start; padding-left: 40px; position: relative; }
          .message.assistant::before { content: "L"; position: absolute; left: 0; top: 2px; width: 28px; height: 28px; border-radius: 8px;
                                       display: grid; place-items: center; font-size: 13px; font-weight: 800; color: #fff;
                                       background: linear-gradient(135deg, #7b5cff, #4b8dff); }
          .bubble { padding: 10px 14px; border-radius: var(--radius); box-shadow: var(--shadow); overflow-wrap: anywhere; }
          .text { white-space: pre-wrap; }
          .user .bubble { background: var(--accent); color: #fff; border-bottom-right-radius: 4px; }
          .assistant .bubble { background: var(--panel); border: 1px solid var(--line); border-top-left-radius: 4px; }
          .user[data-state="sending"] .bubble { opacity: .7; }
          .user[data-state="unsent"] .bubble { background: #9a93e8; }
          .assistant[data-state="failed"] .bubble { background: var(--danger-soft); border-color: #f3c1bf; color: var(--danger); }
          .meta { font-size: 12px; color: var(--muted); margin-top: 4px; display: flex; gap: 4px; align-items: center; min-height: 4px; }
          /* typing indicator: three dots while streaming (CSS only, driven by data-state) */
          .typing { display: none; gap: 4px; padding: 4px 0 2px; }
          .message[data-state="streaming"] .typing, .message[data-state="pending"] .typing { display: inline-flex; }
          .typing i { width: 6px; height: 6px; border-radius: 50%; background: #a9a4f3; animation: blink 1.2s infinite; }
          .typing i:nth-child(2) { animation-delay: .2s; } .typing i:nth-child(3) { animation-delay: .4s; }
          @keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
          .fb { background: none; padding: 4px 6px; color: var(--muted); display: inline-grid; border-radius: 8px; }
          .fb[data-rating="down"] svg { transform: scaleY(-1); }
          .fb:hover { color: var(--accent); background: var(--bg); }
          .fb[aria-pressed="true"] { color: var(--accent); background: var(--accent-soft); }
          .fb[aria-pressed="true"] path { fill: currentColor; fill-opacity: .25; }
          .note { align-self: center; font-size: 12px; color: var(--muted); background: var(--panel); border: 1px solid var(--line); padding: 4px 12px; border-radius: 99px; }
          .post-card { align-self: flex-start; margin-left: 40px; width: min(520px, 85%); background: var(--panel); border: 1px solid var(--line);
                       border-left: 4px solid var(--accent); border-radius: 12px; padding: 12px 16px; box-shadow: var(--shadow); }
          .post-card h4 { margin: 0 0 6px; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--accent); }
          .post-card ul { margin: 8px 0 0; padding-left: 18px; color: #9a5b00; font-size: 13px; }

          /* ---- composer */
          #composer { padding: 12px max(24px, calc((100% - 820px) / 2)) 20px; }
          #composer-error { margin: 0 0 8px; font-size: 13px; }
          .compose-box { display: flex; gap: 10px; align-items: flex-end; background: var(--panel); border: 1px solid var(--line);
                         border-radius: 16px; padding: 8px 8px 8px 14px; box-shadow: var(--shadow); }
          #message-input { flex: 1; border: 0; resize: none; max-height: 200px; min-height: 24px; padding: 6px 0; background: none; outline: none !important; overflow: hidden; }
          .hint { font-size: 11px; color: var(--muted); text-align: center; margin-top: 6px; }

          /* ---- brand dialog */
          dialog { border: 0; border-radius: 18px; padding: 24px; width: min(520px, 94vw); box-shadow: 0 20px 60px rgba(20,24,40,.25); }
          dialog::backdrop { background: rgba(20,24,40,.35); }
          dialog h3 { margin: 0 0 12px; }
          dialog label { display: block; font-size: 13px; font-weight: 600; margin-top: 10px; }
          dialog input, dialog textarea { width: 100%; margin-top: 4px; padding: 8px 10px; border: 1px solid var(--line); border-radius: 8px; }
          dialog .actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; align-items: center; }
          #brand-status { flex: 1; font-size: 13px; }

          @media (max-width: 760px) {
            #app { grid-template-columns: 1fr; }
            #sidebar { position: fixed; inset: 0 auto 0 0; width: 280px; z-index: 10; transform: translateX(-100%); transition: transform .2s; box-shadow: var(--shadow); }
            #app.menu-open #sidebar { transform: none; }
            #menu { display: block; }
            .message { max-width: 92%; }
          }
        </style>
        </head>
        <body>

        <section id="signin-screen" hidden>
          <div class="signin-card">
            <span class="logo">L</span>
            <h1>Welcome to Leopost</h1>
            <p>Your AI assistant for social media. Paste the token from <code>leopost token --tenant ID --user NAME</code> to sign in.</p>
            <p id="signin-error" class="error-text" role="alert" hidden></p>
            <textarea id="token-input" placeholder="eyJhbGciOi…" spellcheck="false" aria-label="Access token"></textarea>
            <button id="sign-in" class="primary">Sign in</button>
          </div>
        </section>

        <div id="app" hidden>
          <aside id="sidebar">
            <div class="side-head"><span class="logo">L</span> Leopost</div>
            <button id="new-conversation" class="primary">+ New conversation</button>
            <nav id="conversation-list" aria-label="Conversations"></nav>
            <div class="side-foot">
              <div id="who"></div>
              <div class="row"><button id="brand-button" class="ghost">Brand</button><button id="link-button" class="ghost">Link a chat app</button><button id="sign-out" class="ghost">Sign out</button></div>
            </div>
          </aside>
          <main>
            <header class="topbar">
              <button id="menu" aria-label="Conversations">☰</button>
              <h2 id="conv-title">Leopost</h2>
              <span id="live" data-status="offline">Offline</span>
            </header>
            <div id="messages" aria-live="polite"></div>
            <form id="composer">
              <p id="composer-error" class="error-text" role="alert" hidden></p>
              <div class="compose-box">
                <textarea id="message-input" rows="1" placeholder="Ask Leopost to draft a post…" aria-label="Message"></textarea>
                <button id="send" class="primary" type="submit" disabled>Send</button>
              </div>
              <div class="hint">Enter to send · Shift+Enter for a new line</div>
            </form>
          </main>
        </div>

        <dialog id="link-dialog">
          <form method="dialog">
            <h3>Link Telegram or WhatsApp</h3>
            <p>Send this to your workspace's Telegram bot or WhatsApp number within ten minutes:</p>
            <p><code id="link-command">…</code></p>
            <p id="link-status"></p>
            <div class="row"><button type="submit" class="primary">Done</button></div>
          </form>
        </dialog>
        <dialog id="brand-dialog">
          <form id="brand-form" method="dialog">
            <h3>Brand profile</h3>
            <label>Name <input name="name"></label>
            <label>Industry <input name="industry"></label>
            <label>Audience <input name="audience"></label>
            <label>Voice <input name="voice"></label>
            <label>Notes <textarea name="notes" rows="3"></textarea></label>
            <div class="actions">
              <span id="brand-status"></span>
              <button type="button" id="brand-cancel" class="ghost">Close</button>
              <button type="submit" id="brand-save" class="primary">Save</button>
            </div>
          </form>
        </dialog>

        <script>
        'use strict';
        const $ = (sel) => document.querySelector(sel);
        const TOKEN_KEY = 'leopost.token';
        const EVENT_NAMES = ['message.delta', 'message.completed', 'message.failed', 'message.received', 'post.preview', 'events.missed', 'events.closed'];
        const state = {
          token: null, convId: null, conversations: [],
          es: null, streamReady: null, retryDelay: 1000,
          buffering: false, queue: [],   // SSE events held back while history loads
          attempts: new Map(),           // answer message_id -> highest attempt seen
          nextBefore: null,
        };
        const list = $('#messages'), input = $('#message-input'), sendBtn = $('#send');

        class ApiError extends Error {
          constructor(status, message, retryAfter) { super(message); this.status = status; this.retryAfter = retryAfter; }
        }

        // Every API call goes through here: adds the bearer token; a 401 signs out with the server's reason.
        async function api(method, path, body) {
          let res;
          try {
            res = await fetch(path, {
              method,
              headers: Object.assign({ Authorization: 'Bearer ' + state.token }, body ? { 'Content-Type': 'application/json' } : {}),
              body: body ? JSON.stringify(body) : undefined,
            });
          } catch (e) { throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.'); }
          let data = null;
          try { data = await res.json(); } catch (e) { /* empty or non-JSON body */ }
          const message = (data && data.error && data.error.message) || `Request failed (HTTP ${res.status}).`;
          if (res.status === 401) { signOut(message); throw new ApiError(401, message); }
          if (!res.ok) throw new ApiError(res.status, message, res.headers.get('Retry-After'));
          return data;
        }

        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        function fmtTime(iso) {
          const d = new Date(iso); if (isNaN(d)) return '';
          const mins = (Date.now() - d) / 60000;
          if (mins < 1) return 'just now';
          if (mins < 60) return Math.floor(mins) + ' min ago';
          if (d.toDateString() === new Date().toDateString()) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
          return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
        }
        function el(tag, cls, text) {
          const e = document.createElement(tag);
          if (cls) e.className = cls;
          if (text != null) e.textContent = text;   // model output is only ever set as text
          return e;
        }

        // ---------- sign in / out
        async function signIn(token) {
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
            await loadConversations();
            if (state.conversations.length) await selectConversation(state.conversations[0].id);
            else showEmpty();
            document.body.dataset.ready = '1';   // marker for scripts: signed in and first screen loaded
            input.focus();
          } catch (e) {
            if (e.status !== 401) showSignin(e.message);
          } finally { $('#sign-in').disabled = false; }
        }

        function signOut(reason) {
          closeStream();
          state.token = null; state.convId = null;
          delete document.body.dataset.ready;
          localStorage.removeItem(TOKEN_KEY);
          showSignin(reason);
        }

        function showSignin(reason) {
          $('#app').hidden = true; $('#signin-screen').hidden = false;
          const err = $('#signin-error');
          err.textContent = reason || ''; err.hidden = !reason;
          $('#token-input').focus();
        }

        // ---------- conversations
        async function loadConversations() {
          const data = await api('GET', '/v1/conversations');
          state.conversations = data.conversations || [];
          renderConversations();
        }

        function renderConversations() {
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

        async function newConversation() {
          const conv = await api('POST', '/v1/conversations', {});
          state.conversations.unshift(conv);
          await selectConversation(conv.id);
          return conv;
        }

        async function selectConversation(id) {
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
        async function loadHistory(id, before) {
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

        function renderStored(m) {
          if (m.direction !== 'outbound') return makeMessage('user', m.text, m.id, 'sent');
          const st = String(m.status || '').toLowerCase();
          const s = /fail|error/.test(st) ? 'failed' : /pend|stream|queue|progress|generat/.test(st) ? 'streaming' : 'completed';
          const e = makeMessage('assistant', m.text, m.id, s, m.reply_to);
          if (s === 'streaming') e.dataset.fromHistory = '1';   // partial text: wait for completed, ignore deltas
          if (s === 'completed') addFeedback(e, m.feedback);
          return e;
        }

        // ---------- message elements
        function makeMessage(role, text, id, msgState, replyTo) {
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

        function appendNode(node) {
          const empty = list.querySelector('.empty'); if (empty) empty.remove();
          const stick = nearBottom();
          list.append(node);
          scrollDown(stick);
          return node;
        }

        const byId = (id) => id ? list.querySelector(`.message[data-message-id="${CSS.escape(id)}"]`) : null;
        const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 120;
        function scrollDown(force) { if (force) list.scrollTop = list.scrollHeight; }

        // The answer bubble for an event: by message_id, else the pending "typing" bubble for reply_to, else a new one.
        function answerBubble(d) {
          let m = byId(d.message_id);
          if (!m && d.reply_to) m = list.querySelector(`.message.assistant.pending[data-reply-to="${CSS.escape(d.reply_to)}"]`);
          if (!m) m = appendNode(makeMessage('assistant', '', null, 'streaming', d.reply_to));
          m.classList.remove('pending');
          m.dataset.messageId = d.message_id;
          if (m.dataset.state === 'pending') m.dataset.state = 'streaming';
          return m;
        }

        // Thumb icon as inline SVG (emoji fonts are not everywhere); the "down" one is the same icon flipped.
        const THUMB_SVG = '<svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" ' +
          'stroke-linecap="round" stroke-linejoin="round"><path d="M7 10v11H3V10h4zm0 0 4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8' +
          'a2 2 0 0 1-2 1.7H7"/></svg>';
        function addFeedback(m, chosen) {
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

        function setMetaError(meta, text) {
          let err = meta.querySelector('.error-text');
          if (!err) meta.append(err = el('span', 'error-text'));
          err.textContent = text;
        }

        function addNote(text) { appendNode(el('div', 'note', text)); }

        function showEmpty() {
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

        // ---------- live events (one EventSource: the selected conversation)
        function openStream(id) {
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

        async function recoverStream(id) {
          setLive('offline');
          closeStream();
          try { await api('GET', '/v1/whoami'); } catch (e) { if (e.status === 401) return; }  // 401 -> signed out
          await sleep(state.retryDelay);
          state.retryDelay = Math.min(state.retryDelay * 2, 30000);
          if (state.convId !== id || !state.token) return;
          openStream(id);
          loadHistory(id);   // a fresh stream has no Last-Event-ID: catch up from history
        }

        function closeStream() {
          if (state.es) { state.es.close(); state.es = null; }
          setLive('offline');
        }

        function setLive(status) {
          const l = $('#live'); l.dataset.status = status; l.hidden = !state.convId;
          l.textContent = { live: 'Live', reconnecting: 'Connecting…', offline: 'Offline' }[status];
        }

        function handleEvent(name, d) {
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
          } else if (name === 'post.preview') {
            let card = list.querySelector(`.post-card[data-post-id="${CSS.escape(d.post_id || '')}"]`);
            if (!card) { card = appendNode(el('div', 'post-card')); card.dataset.postId = d.post_id || ''; }
            card.textContent = '';
            card.append(el('h4', null, 'Post preview · ' + (d.platform || 'social')), el('div', 'text', d.text || ''));
            if (d.issues && d.issues.length) {
              const ul = el('ul'); for (const i of d.issues) ul.append(el('li', null, typeof i === 'string' ? i : (i.message || JSON.stringify(i))));
              card.append(ul);
            }
          } else if (name === 'events.closed') {
            // Too many streams open for this person: this one stays closed (no reconnect loop with the others).
            closeStream();
            addNote(d.message || 'This conversation stopped updating here; reload to follow it.');
          } else if (name === 'events.missed') {
            const id = state.convId;
            loadHistory(id).then(() => { if (state.convId === id) addNote(d.message || 'Some updates were missed; history reloaded.'); });
          }
        }

        // ---------- sending
        function updateSend() {
          sendBtn.disabled = !input.value.trim() || !state.token;
          input.style.height = 'auto';
          input.style.height = Math.min(input.scrollHeight, 200) + 'px';
          input.style.overflowY = input.scrollHeight > 200 ? 'auto' : 'hidden';
        }

        function setComposerError(text) { const e = $('#composer-error'); e.textContent = text; e.hidden = !text; }

        async function send() {
          const text = input.value.trim();
          if (!text) return;
          setComposerError('');
          try { if (!state.convId) await newConversation(); } catch (e) { if (e.status !== 401) setComposerError(e.message); return; }
          const id = state.convId;
          input.value = ''; updateSend();
          const mine = appendNode(makeMessage('user', text, null, 'sending'));
          scrollDown(true);
          await Promise.race([state.streamReady, sleep(3000)]);   // so the answer's first events are not missed
          try {
            const r = await api('POST', `/v1/conversations/${encodeURIComponent(id)}/messages`, { text });
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

        // ---------- brand dialog
        const brandDialog = $('#brand-dialog'), brandForm = $('#brand-form'), brandStatus = $('#brand-status');
        const BRAND_FIELDS = ['name', 'industry', 'audience', 'voice', 'notes'];
        async function openBrand() {
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
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
        });

        // Boot: #token=... in the URL signs in and is removed from the address bar; else the stored token.
        function tokenFromFragment() {
          const m = location.hash.match(/[#&]token=([^&]+)/);
          if (!m) return null;
          history.replaceState(null, '', location.pathname + location.search);
          return decodeURIComponent(m[1]);
        }
        window.addEventListener('hashchange', () => { const t = tokenFromFragment(); if (t) { closeStream(); signIn(t); } });
        (function boot() {
          const token = tokenFromFragment() || localStorage.getItem(TOKEN_KEY);
          if (token) signIn(token); else showSignin('');
        })();
        </script>
        </body>
        </html>
        """#
}
