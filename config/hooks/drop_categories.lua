-- Drops Entra Activity events of noisy audit categories (directoryAudit.category: Policy, DeviceManagement ...).
--
--   hooks:
--     - {path: ./hooks/drop_categories.lua, params: {categories: [Policy, DeviceManagement]}}
local noisy = nil

function on_event(event, ctx)
  if event.connector ~= "entra_activity" then return event end
  if noisy == nil then  -- built once, from the params
    noisy = {}
    for _, category in ipairs(ctx.params.categories or {}) do noisy[category] = true end
  end
  local category = event.raw:match('"category"%s*:%s*"([^"]*)"')
  if category and noisy[category] then return nil end
  return event
end
