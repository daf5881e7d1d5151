-- Word statistics of a text: string patterns, tables as maps, sorting with a comparator.
local text = [[
The quick brown fox jumps over the lazy dog.
The dog sleeps; the fox runs.
]]

local counts = {}
local total <const> = select("#", text:gsub("%a+", ""))
for word in text:gmatch("%a+") do
  local key = word:lower()
  counts[key] = (counts[key] or 0) + 1
end

local words = {}
for word, n in pairs(counts) do
  words[#words + 1] = {word = word, n = n}
end
table.sort(words, function(a, b)
  if a.n ~= b.n then
    return a.n > b.n
  end
  return a.word < b.word
end)

print(("%d words, %d different"):format(total, #words))
for i = 1, math.min(3, #words) do
  local entry = words[i]
  print(string.format("%-6s %2d %s", entry.word, entry.n, string.rep("*", entry.n)))
end
