// The page's one shared state: the session's token, the selected conversation and its live stream.

export const TOKEN_KEY = 'leopost.token';
export const EVENT_NAMES = ['message.delta', 'message.completed', 'message.failed', 'message.received', 'post.preview', 'post.status', 'tool.started', 'tool.finished', 'events.missed', 'events.closed'];
export const state = {
  token: null, convId: null, conversations: [],
  es: null, streamReady: null, retryDelay: 1000,
  buffering: false, queue: [],   // SSE events held back while history loads
  attempts: new Map(),           // answer message_id -> highest attempt seen
  nextBefore: null,
};
