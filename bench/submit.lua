-- POST /api/v1/assessments/ with a fresh client_id on every request.
-- BENCH_BODY holds the JSON body with the placeholder CLIENT_ID; BENCH_TOKEN the API token.
local body_template = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
local counter = 0

function setup(thread)
  thread:set("thread_seed", math.random(1, 2147483647))
end

function init(args)
  math.randomseed(thread_seed or os.time())
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  counter = counter + 1
  local body = string.gsub(body_template, "CLIENT_ID", uuid4())
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Token " .. token,
  }, body)
end
