-- wrk script of the HTTP write benchmark (bench/run): each request creates a 低保 application
-- for a household of the benchmark county that has none, so every answer should be 201. The
-- households come from the file named by CIV_APPLICANTS ("household_id,citizen_id" per line);
-- wrk thread k takes lines k, k+T, k+2T, ... Prints "write: created=N refused=M".
local token = os.getenv("CIV_TOKEN")
local path = "/api/v1/counties/610902/social_assistance/applications"
local rows = {}
for line in io.lines(os.getenv("CIV_APPLICANTS")) do rows[#rows + 1] = line end
local threads, thread_count = {}, 0

function setup(thread)
  thread:set("number", thread_count)
  thread_count = thread_count + 1
  threads[#threads + 1] = thread
end

function init(args)
  next_row = number + 1
  created, refused = 0, 0
  headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
end

function request()
  -- Past the end it starts again: those households have applications, the answers are refused
  -- and bench/run says the county was too small for the time asked.
  local household, citizen_id = string.match(rows[(next_row - 1) % #rows + 1], "(%d+),(%w+)")
  next_row = next_row + 2  -- two wrk threads
  return wrk.format("POST", path, headers, string.format(
    '{"household_id":%s,"program":"dibao","applicant_citizen_id":"%s"}', household, citizen_id))
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local c, r = 0, 0
  for _, thread in ipairs(threads) do c = c + thread:get("created"); r = r + thread:get("refused") end
  io.write(string.format("write: created=%d refused=%d p99_us=%d\n", c, r, latency:percentile(99)))
end
