-- wrk script: varied shoppers, as page-view capture sees them in real use.
-- 5,000 visitors (sf_vid cookies), every kind of referrer, a channel tag on one view in 7;
-- bench_store_page.shopper_headers is the same rotation for the Python client.
local n = 0
local referrers = {"", "https://www.google.com/", "https://t.co/x",
                   "https://blog.example.org/", "http://127.0.0.1/stores/bench-outdoor/"}

request = function()
  n = n + 1
  local headers = {}
  headers["User-Agent"] = wrk.headers["User-Agent"]
  headers["Cookie"] = string.format("sf_vid=benchvisitor%013d", n % 5000)
  local referrer = referrers[(n % 5) + 1]
  if referrer ~= "" then headers["Referer"] = referrer end
  local path = wrk.path
  if n % 7 == 0 then path = path .. "?channel=tag-" .. (n % 150) end
  return wrk.format("GET", path, headers)
end
