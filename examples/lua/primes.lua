-- Primes, factorials and Collatz: local and global functions, recursion, while,
-- repeat ... until, numeric for, multiple assignment and string building.
local function is_prime(n)
  if n < 2 then
    return false
  end
  local d = 2
  while d * d <= n do
    if n % d == 0 then
      return false
    end
    d = d + 1
  end
  return true
end

local function gcd(a, b)
  while b ~= 0 do
    a, b = b, a % b
  end
  return a
end

function factorial(n)
  if n <= 1 then
    return 1
  end
  return n * factorial(n - 1)
end

local count = 0
local line = ""
for n = 2, 50 do
  if is_prime(n) then
    count = count + 1
    line = line .. " " .. n
  end
end
print("primes below 50:" .. line)
print("count", count)
print("gcd(84, 36) =", gcd(84, 36), "20! =", factorial(20))

local n = 27
local steps = 0
repeat
  if n % 2 == 0 then
    n = n // 2
  else
    n = 3 * n + 1
  end
  steps = steps + 1
until n == 1
print("collatz(27) takes " .. steps .. " steps")
print(7 // 2, -7 // 2, -7 % 3, 7 / 2, not (1 > 2) and 2 >= 2)
