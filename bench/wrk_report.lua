-- `make bench`'s wrk script: counts answers other than the one expected (200, or the status
-- given after `--`: 304 for a repeat visit; wrk itself counts only 4xx and 5xx), and prints
-- one JSON line the bench reads: requests, errors, p50 and p95 in ms.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  expected = tonumber(args[1]) or 200
end

function response(status, headers, body)
  if status ~= expected then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("not_ok")
  end
  io.write(string.format(
    'BENCH {"requests": %d, "errors": %d, "seconds": %.3f, "p50_ms": %.3f, "p95_ms": %.3f}\n',
    summary.requests, errors, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
