-- Integers and bits: floor division, bitwise operators, hex numerals, goto and labels.
local function popcount(n)
  local count = 0
  while n ~= 0 do
    count = count + (n & 1)
    n = n >> 1
  end
  return count
end

local function tobinary(n, width)
  local digits = {}
  for i = width - 1, 0, -1 do
    digits[#digits + 1] = (n >> i) & 1 == 1 and "1" or "0"
  end
  return table.concat(digits)
end

local mask = 0xF0 | 0x0F
print(mask, ~0 & 0xFF, 7 // 2, 7 % 3, 2 ^ 10, 1 << 4)

for n = 0, 12 do
  if n % 4 == 3 then
    goto continue
  end
  print(n, tobinary(n, 4), popcount(n))
  ::continue::
end

local x = 0x1p4
print(x, math.type(x), math.type(16 // 1))
