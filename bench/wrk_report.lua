-- `make bench`'s wrk script: prints one JSON line the bench reads: requests, errors (wrk's
-- own: connections, reads, writes, timeouts), p50 and p95 in ms. It defines no `response`
-- function on purpose: with one, wrk hands every answer's headers and body to Lua, a cost
-- that grows with the page's size, on the cores the server runs on. The bench counts
-- answers other than the one expected from the server's own log instead (`bench/run.py`).
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH {"requests": %d, "errors": %d, "seconds": %.3f, "p50_ms": %.3f, "p95_ms": %.3f}\n',
    summary.requests, errors, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
