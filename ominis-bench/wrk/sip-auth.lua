-- wrk script: POSTs the form mod_sofia sends to mod_xml_curl for the digest auth of a REGISTER (the exact field set of
-- XmlCurlEndpointsTest.sipAuth), for a user drawn uniformly from BENCH_USERS numbers starting at BENCH_FIRST.
-- BENCH_SWEEP=1 instead asks every user once, in order, split across wrk's threads, and then stops: the warm-up
-- (run it through sweep.sh, which ends wrk when the sweep is over).

local first = tonumber(os.getenv("BENCH_FIRST") or "100000")
local users = tonumber(os.getenv("BENCH_USERS") or "100000")
local domain = os.getenv("BENCH_DOMAIN") or "10.42.0.7"
local sweep = os.getenv("BENCH_SWEEP") == "1"

local template = "hostname=fs-node-1&section=directory&tag_name=domain&key_name=name&key_value=@D@"
  .. "&Event-Name=REQUEST_PARAMS&Core-UUID=6b0c5c2e-8d4d-4b7e-9d5c-6a1c2d3e4f50"
  .. "&FreeSWITCH-Hostname=fs-node-1&FreeSWITCH-Switchname=fs-node-1&FreeSWITCH-IPv4=10.42.0.7"
  .. "&FreeSWITCH-IPv6=%3A%3A1&Event-Date-Local=2026-11-25%2013%3A00%3A00"
  .. "&Event-Date-GMT=Wed,%2025%20Nov%202026%2013%3A00%3A00%20GMT&Event-Date-Timestamp=1795000000000000"
  .. "&Event-Calling-File=sofia_reg.c&Event-Calling-Function=sofia_reg_parse_auth"
  .. "&Event-Calling-Line-Number=3126&Event-Sequence=512"
  .. "&action=sip_auth&sip_profile=internal&sip_user_agent=Zoiper%20rv2.10"
  .. "&sip_auth_username=@U@&sip_auth_realm=@D@"
  .. "&sip_auth_nonce=2f5e6a8c-1b7d-4e1a-9c3f-0d2b4a6c8e10&sip_auth_uri=sip%3A@D@"
  .. "&sip_contact_user=@U@&sip_contact_host=192.168.1.50&sip_to_user=@U@"
  .. "&sip_to_host=@D@&sip_via_protocol=udp&sip_from_user=@U@&sip_from_host=@D@"
  .. "&sip_call_id=NjQ3Yzg0ZWQ&sip_request_host=@D@&sip_auth_qop=auth&sip_auth_cnonce=a1b2c3"
  .. "&sip_auth_nc=00000001&sip_auth_response=0f1e2d3c4b5a69788796a5b4c3d2e1f0&sip_auth_method=REGISTER"
  .. "&client_port=5060&key=id&user=@U@&domain=@D@&ip=192.168.1.50"

-- The domain is fixed, so substitute it once and split around the user: each request is one table.concat.
local parts = {}
for piece in (template:gsub("@D@", domain) .. "@U@"):gmatch("(.-)@U@") do
  parts[#parts + 1] = piece
end
local pieces = {}
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
  for _, t in ipairs(threads) do
    t:set("nthreads", #threads)
  end
end

local n = 0
function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

local function body(user)
  local u = tostring(user)
  for i = 1, #parts - 1 do
    pieces[2 * i - 1] = parts[i]
    pieces[2 * i] = u
  end
  pieces[2 * #parts - 1] = parts[#parts]
  return table.concat(pieces, "", 1, 2 * #parts - 1)
end

function request()
  local user
  if sweep then
    user = first + ((id or 0) + (nthreads or 1) * n) % users
    n = n + 1
  else
    user = first + math.random(0, users - 1)
  end
  return wrk.format("POST", "/v1/freeswitch/directory", headers, body(user))
end

-- wrk 4.1.0's main thread sleeps the whole -d whatever its threads do, so a thread that is done also leaves a file in
-- BENCH_SWEEP_DONE (a directory): sweep.sh interrupts wrk once every thread has left one, and wrk prints its report.
local done_dir = os.getenv("BENCH_SWEEP_DONE")
if sweep then
  local seen = 0
  local stopped = false
  function response(status, headers, body)
    seen = seen + 1
    if not stopped and seen * (nthreads or 1) >= users then
      stopped = true
      if done_dir then
        local f = io.open(done_dir .. "/thread-" .. tostring(id or 0), "w")
        if f then f:close() end
      end
      wrk.thread:stop()
    end
  end
end
