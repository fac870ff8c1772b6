-- POST /api/v1/assessments/ with a fresh client_id on every request.
-- BENCH_BODY holds the JSON body with the placeholder CLIENT_ID; BENCH_TOKENS the API tokens
-- of many people, comma-separated: each request is sent as one of them, picked at random.
local body_template = os.getenv("BENCH_BODY")
local tokens = {}
for token in string.gmatch(os.getenv("BENCH_TOKENS"), "[^,]+") do
  table.insert(tokens, token)
end
-- BENCH_SEED differs on every run, and each thread adds its number, so no two requests of any
-- run share a client_id (a repeated one would be a retry, answered from the first).
local base_seed = tonumber(os.getenv("BENCH_SEED") or os.time())
local threads_made = 0

function setup(thread)
  threads_made = threads_made + 1
  thread:set("thread_seed", base_seed + threads_made * 7919)
end

function init(args)
  math.randomseed(thread_seed)
  for _ = 1, 10 do math.random() end
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  local body = string.gsub(body_template, "CLIENT_ID", uuid4())
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Token " .. tokens[math.random(#tokens)],
  }, body)
end
