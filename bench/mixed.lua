-- bench:mixed's traffic for wrk: 90 % anonymous page and API reads, 10 % writes by signed-in
-- users (votes 70 %, saves 20 %, comments 10 % of the writes). Every vote is a new (user, paper)
-- pair, so the votes acknowledged are the vote rows the run must leave behind. Data files come
-- from bench/mixed.ts in the directory given as the script's argument.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local function lines(file)
  local out = {}
  for line in io.lines(file) do table.insert(out, line) end
  return out
end

function init(args)
  local dir = args[1]
  reads = lines(dir .. "/reads.txt")
  papers = lines(dir .. "/papers.txt")
  sessions = {}
  for _, line in ipairs(lines(dir .. "/sessions.txt")) do
    local cookie, csrf = line:match("([^\t]+)\t([^\t]+)")
    table.insert(sessions, { cookie = cookie, csrf = csrf })
  end
  nthreads = tonumber(args[2])
  math.randomseed(1000 + id)
  votes_sent, votes, saves, comments, errors, unavailable = 0, 0, 0, 0, 0, 0
end

local function post(path, session, body, json)
  local headers = {
    ["Cookie"] = session.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  if json then headers["Accept"] = "application/json" end
  return wrk.format("POST", path, headers, body .. "&_csrf=" .. session.csrf)
end

function request()
  local r = math.random()
  if r < 0.9 then return wrk.format("GET", reads[math.random(#reads)]) end
  local w = math.random()
  if w < 0.7 then
    -- Pair number n of this thread: distinct across threads and requests until users x papers run out.
    local n = votes_sent * nthreads + id
    votes_sent = votes_sent + 1
    local user = n % #sessions
    local paper = math.floor(n / #sessions) % #papers
    return post("/papers/" .. papers[paper + 1] .. "/upvote", sessions[user + 1], "up=1", true)
  end
  local session = sessions[math.random(#sessions)]
  local paper = papers[math.random(#papers)]
  if w < 0.9 then return post("/papers/" .. paper .. "/save", session, "saved=1", true) end
  return post("/papers/" .. paper .. "/comments", session, "comment=A+note+from+the+load+test.", false)
end

function response(status, headers, body)
  if status >= 400 then
    errors = errors + 1
    if status == 503 then unavailable = unavailable + 1 end
  elseif status == 303 then
    comments = comments + 1
  elseif body and body:find('"voted":', 1, true) then
    votes = votes + 1
  elseif body and body:find('{"saved":', 1, true) then
    saves = saves + 1
  end
end

function done(summary, latency, requests)
  local t = { votes = 0, saves = 0, comments = 0, errors = 0, unavailable = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"p50":%d,"p90":%d,"p99":%d,"max":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"votes":%d,"saves":%d,"comments":%d,"errors":%d,"unavailable":%d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status, t.votes, t.saves, t.comments, t.errors, t.unavailable))
end
