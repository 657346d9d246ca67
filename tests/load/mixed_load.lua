-- wrk script for the two-host load test (tests/load/two_hosts_test.cpp): four reads of a
-- household for each new household registered, every new household with a member whose valid
-- citizen ID is unique across both wrk processes and all their threads. Reports, per process,
-- the answers by status class as one line "load: ..." that the test parses.
--   CIV_TOKEN      a clerk's bearer token
--   CIV_HOUSEHOLDS comma-separated ids of households to read
--   CIV_PROCESS    0 or 1: which wrk process this is (the ID ranges of the two do not overlap)
local token = os.getenv("CIV_TOKEN")
local households = {}
for id in string.gmatch(os.getenv("CIV_HOUSEHOLDS"), "%d+") do households[#households + 1] = id end
local process = tonumber(os.getenv("CIV_PROCESS"))
local base = "/api/v1/counties/610902/social_assistance/households"
local threads = {}
local thread_number = 0

function setup(thread)
  thread:set("number", thread_number)
  thread_number = thread_number + 1
  threads[#threads + 1] = thread
end

local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local function citizen_id(n)
  -- A birth date from 1940-01-01 on, 900 sequence numbers a day.
  local day = os.date("!%Y%m%d", os.time({year = 1940, month = 1, day = 1 + math.floor(n / 900), hour = 12}))
  local first17 = string.format("610902%s%03d", day, n % 900)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(first17:sub(i, i)) * weights[i] end
  return first17 .. string.sub("10X98765432", sum % 11 + 1, sum % 11 + 1)
end

function init(args)
  counter = 0
  created, ok, client_errors, server_errors, other = 0, 0, 0, 0, 0
  headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
end

function request()
  counter = counter + 1
  if counter % 5 ~= 0 then
    return wrk.format("GET", base .. "/" .. households[counter % #households + 1], headers)
  end
  -- Unique across processes (2) and threads (up to 8): n = ((k * 8) + thread) * 2 + process.
  local n = (math.floor(counter / 5) * 8 + number) * 2 + process + 500000
  local body = string.format(
    '{"category":"urban","township":"江北街道","village":"东坝社区","hukou_address":"汉滨区东坝路%d号",' ..
    '"residence_address":"同上","members":[{"citizen_id":"%s","name":"压测%d","relationship":"applicant",' ..
    '"lives_together":true,"inclusion_reason":"单人户","work_capacity":"none"}]}', n, citizen_id(n), n)
  return wrk.format("POST", base, headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status >= 200 and status < 300 then ok = ok + 1
  elseif status >= 500 then server_errors = server_errors + 1
  elseif status >= 400 then client_errors = client_errors + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = {created = 0, ok = 0, client_errors = 0, server_errors = 0, other = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
  end
  io.write(string.format("load: requests=%d created=%d ok=%d client_errors=%d server_errors=%d " ..
                         "other=%d socket_errors=%d p99_us=%d\n",
                         summary.requests, totals.created, totals.ok, totals.client_errors,
                         totals.server_errors, totals.other,
                         summary.errors.connect + summary.errors.read + summary.errors.write +
                         summary.errors.timeout, latency:percentile(99)))
end
