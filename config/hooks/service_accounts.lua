-- Service accounts are not audited: drops Entra Activity and Entra Logons events whose actor (`who`: a user
-- principal name) is a member, nested groups included, of one of the source's `service_account_groups`.
-- Other connectors' events, and actors Vigil could not resolve, are kept: nothing is lost by default.
--
--   agent:
--     hooks:
--       - {path: ./hooks/service_accounts.lua}
function on_event(event, ctx)
  if (event.connector == "entra_activity" or event.connector == "entra_logons")
      and ctx.is_service_account(event.who) then
    return nil
  end
  return event
end
