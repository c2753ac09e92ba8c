-- Argo CD health check for baton.dev/BatonApp.
--
-- Install as argocd-cm key `resource.customizations.health.baton.dev_BatonApp`
-- (see README.md next to this file). Argo CD runs it without the `string`
-- library, so this script uses only base Lua, `..` on strings and tostring().
--
-- Mapping:
--   status not written yet, or older than metadata.generation -> Progressing
--   condition InvalidSpec=True                                -> Degraded
--   phase Healthy                                             -> Healthy
--   phase Progressing                                         -> Progressing
--   phase Paused (spec.paused / annotation, or waiting for
--     a manual promote)                                       -> Suspended
--   phase Degraded (live version short of pods, or rollout
--     aborted on its deadline)                                -> Degraded
--   phase Aborted (rollout aborted on request)                -> Degraded
--   anything else                                             -> Progressing

local hs = {}

local function condition(status, conditionType)
  if type(status.conditions) ~= "table" then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if type(c) == "table" and c.type == conditionType then
      return c
    end
  end
  return nil
end

local function nonEmpty(s)
  return type(s) == "string" and s ~= ""
end

local function number(n)
  if type(n) == "number" then
    return n
  end
  return nil
end

-- The revisions involved, for messages Baton did not write itself.
local function revisions(status)
  local active = number(status.activeRevision)
  local preview = number(status.previewRevision)
  if active ~= nil and preview ~= nil and preview ~= active then
    return "Revision " .. tostring(active) .. " serves; revision " .. tostring(preview)
        .. " is being rolled out."
  end
  if active ~= nil then
    return "Revision " .. tostring(active) .. " serves."
  end
  return nil
end

-- status.message, else the message of the condition that explains the phase,
-- else the revisions, else the fallback.
local function message(status, conditionType, fallback)
  if nonEmpty(status.message) then
    return status.message
  end
  local c = condition(status, conditionType)
  if c ~= nil and nonEmpty(c.message) then
    return c.message
  end
  local r = revisions(status)
  if r ~= nil then
    return fallback .. " " .. r
  end
  return fallback
end

local metadata = {}
if type(obj) == "table" and type(obj.metadata) == "table" then
  metadata = obj.metadata
end
local status = nil
if type(obj) == "table" and type(obj.status) == "table" then
  status = obj.status
end
local generation = number(metadata.generation)

if status == nil or number(status.observedGeneration) == nil
    or (generation ~= nil and status.observedGeneration < generation) then
  hs.status = "Progressing"
  if generation ~= nil then
    hs.message = "Waiting for Baton to observe generation " .. tostring(generation)
  else
    hs.message = "Waiting for Baton to observe the BatonApp"
  end
  return hs
end

local invalid = condition(status, "InvalidSpec")
if invalid ~= nil and invalid.status == "True" then
  hs.status = "Degraded"
  if nonEmpty(invalid.message) then
    hs.message = "Invalid spec: " .. invalid.message
  else
    hs.message = message(status, "Degraded", "Invalid spec.")
  end
  return hs
end

local phase = status.phase
if phase == "Healthy" then
  hs.status = "Healthy"
  hs.message = message(status, "Available", "All pods of the live version are available.")
elseif phase == "Progressing" then
  hs.status = "Progressing"
  hs.message = message(status, "Progressing", "Rolling out.")
elseif phase == "Paused" then
  hs.status = "Suspended"
  hs.message = message(status, "Paused", "Paused.")
elseif phase == "Degraded" then
  hs.status = "Degraded"
  hs.message = message(status, "Degraded", "Degraded.")
elseif phase == "Aborted" then
  -- The live version still serves, but the desired revision does not run.
  hs.status = "Degraded"
  hs.message = message(status, "Progressing", "Rollout aborted on request.")
else
  hs.status = "Progressing"
  if phase ~= nil then
    hs.message = message(status, "Progressing", "Unknown phase " .. tostring(phase) .. ".")
  else
    hs.message = message(status, "Progressing", "Waiting for Baton to report a phase.")
  end
end
return hs
