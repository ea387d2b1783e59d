-- Redacts personal data before events leave the agent: the client IP keeps its network (the last IPv4 octet, or
-- the IPv6 interface identifier, becomes 0), and with params.who: true the actor becomes "redacted". The raw
-- Graph record carries the same data: it is dropped unless params.keep_raw is true.
--
--   hooks:
--     - {path: ./hooks/redact.lua, params: {who: false, keep_raw: false}}
function on_event(event, ctx)
  local ip = event.workstation
  if ip:match("^%d+%.%d+%.%d+%.%d+$") then
    event.workstation = ip:gsub("%.%d+$", ".0")
  elseif ip:find(":", 1, true) then
    event.workstation = ip:gsub("^(%x*:%x*:%x*:%x*):.*$", "%1::")
  end
  if ctx.params.who then event.who = "redacted" end
  if not ctx.params.keep_raw then event.raw = nil end
  return event
end
