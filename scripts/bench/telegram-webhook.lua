-- wrk script: Telegram updates to a Leopost webhook, each with its own update_id (so none is a
-- duplicate), from CHATS linked chats numbered from FIRST_CHAT, in turn. Set by the caller:
-- WEBHOOK_PATH, WEBHOOK_SECRET, FIRST_CHAT, CHATS.
local path = os.getenv("WEBHOOK_PATH")
local secret = os.getenv("WEBHOOK_SECRET")
local first = tonumber(os.getenv("FIRST_CHAT"))
local chats = tonumber(os.getenv("CHATS"))
local threads = 0
local counter = 0

function setup(thread)
  threads = threads + 1
  thread:set("base", threads * 100000000)
end

function init(args)
  base = base or 0
  counter = 0
end

function request()
  counter = counter + 1
  local id = base + counter
  local chat = first + counter % chats
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"from":{"id":%s,"is_bot":false,"first_name":"Bench"},' ..
    '"chat":{"id":%s,"type":"private"},"date":1709659500,"text":"bench message %d"}}', id, id, chat, chat, id)
  return wrk.format("POST", path, {["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = secret}, body)
end
