-- wrk script for scripts/bench-wrk.sh: POSTs check bodies to the path in WRK_PATH, a 70/25/5
-- read/write/destructive mix of SQL and shell inputs over the sessions in WRK_SESSIONS
-- (a file of "agent_id session_id" lines). The same bodies go to both endpoints.
local path = os.getenv("WRK_PATH") or "/api/v1/agenttrust/check"
local key = os.getenv("WRK_KEY") or ""
local pairs_file = os.getenv("WRK_SESSIONS")

local reads = {
  {"db.query", "SELECT id, email, created_at FROM users WHERE org_id = 42 ORDER BY created_at DESC LIMIT 50"},
  {"db.query", "SELECT count(*) FROM orders WHERE status = 'open'"},
  {"shell.exec", "cd /srv/app && git status --short | grep -v '^??' | head -n 20 && ls -la build/ > /dev/null"},
  {"shell.exec", "ls -la /var/log && tail -n 100 /var/log/syslog | grep error"},
}
local writes = {
  {"db.query", "UPDATE users SET last_seen = now() WHERE id = 42"},
  {"db.query", "INSERT INTO audit_notes (user_id, note) VALUES (42, 'checked')"},
  {"shell.exec", "mkdir -p /srv/app/tmp && cp config.yml /srv/app/tmp/config.yml"},
}
local destructive = {
  {"db.query", "DROP TABLE users"},
  {"shell.exec", "rm -rf /srv/app/data"},
}

local sessions = {}
if pairs_file then
  for line in io.lines(pairs_file) do
    local a, s = line:match("^(%S+)%s+(%S+)$")
    if a then sessions[#sessions + 1] = {a, s} end
  end
end
if #sessions == 0 then sessions = {{"agent", "session"}} end

local function escape(s)
  return (s:gsub('\\', '\\\\'):gsub('"', '\\"'))
end

local bodies = {}
math.randomseed(7)
for i = 1, 2000 do
  local r = math.random(100)
  local pool = reads
  if r > 95 then pool = destructive elseif r > 70 then pool = writes end
  local call = pool[math.random(#pool)]
  local pair = sessions[math.random(#sessions)]
  bodies[i] = string.format(
    '{"agent_id":"%s","session_id":"%s","action_name":"%s","action_input":"%s"}',
    pair[1], pair[2], call[1], escape(call[2]))
end

local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["X-API-Key"] = key,
  }, bodies[(n % #bodies) + 1])
end
