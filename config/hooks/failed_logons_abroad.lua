-- Keeps, of the Entra Logons events, only failed logons from outside the allowed countries (ISO 3166 codes, as
-- Entra reports them); a logon without a known country counts as outside. Other connectors' events pass.
--
--   hooks:
--     - {path: ./hooks/failed_logons_abroad.lua, params: {allowed: [CH, DE, FR]}}
local allowed = nil

function on_event(event, ctx)
  if event.connector ~= "entra_logons" then return event end
  if event.status ~= "failure" then return nil end
  if allowed == nil then
    allowed = {}
    for _, country in ipairs(ctx.params.allowed or {}) do allowed[country] = true end
  end
  local country = event.details:match('"country"%s*:%s*"([^"]*)"')
  if country and allowed[country] then return nil end
  return event
end
