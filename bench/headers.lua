-- GET with the headers given in the environment (a session cookie or an API token).
local cookie = os.getenv("BENCH_COOKIE")
local token = os.getenv("BENCH_TOKEN")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
if token and token ~= "" then wrk.headers["Authorization"] = "Token " .. token end
