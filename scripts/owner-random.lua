-- wrk script: GET /v1/owner at random points in Camden's bounding box (some
-- fall outside the borough and are answered {"covered":false}). The README's
-- p99 row: with the server on core 0 (GOMAXPROCS=1 taskset -c 0 ./gridline
-- serve ...), run taskset -c 1 wrk -t1 -c50 -d20s --latency
-- -s scripts/owner-random.lua http://127.0.0.1:8080
math.randomseed(42)
request = function()
  local lon = -0.2132 + math.random() * 0.1086
  local lat = 51.5125 + math.random() * 0.0711
  return wrk.format("GET", string.format("/v1/owner?lon=%.6f&lat=%.6f", lon, lat))
end
