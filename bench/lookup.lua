-- wrk script: look up the USCCs of bench/data/web-usccs.txt on the public target page, in turn.
local usccs = {}
for line in io.lines("bench/data/web-usccs.txt") do usccs[#usccs + 1] = line end
local n = 0
request = function()
  n = n % #usccs + 1
  return wrk.format("GET", "/public/targets?q=" .. usccs[n])
end
