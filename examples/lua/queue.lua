-- A double-ended queue as a class with methods, metamethods and an iterator.
local Queue = {}
Queue.__index = Queue

function Queue.new(...)
  local q = setmetatable({first = 1, last = 0, items = {}}, Queue)
  for _, v in ipairs({...}) do
    q:push(v)
  end
  return q
end

function Queue:push(value)
  self.last = self.last + 1
  self.items[self.last] = value
end

function Queue:pop()
  if self.first > self.last then
    return nil, "empty"
  end
  local value = self.items[self.first]
  self.items[self.first] = nil
  self.first = self.first + 1
  return value
end

function Queue:__len()
  return self.last - self.first + 1
end

function Queue:each()
  local i = self.first - 1
  return function()
    i = i + 1
    if i <= self.last then
      return self.items[i]
    end
  end
end

local q = Queue.new(10, 20, 30)
q:push(40)
print(#q, q:pop())
for item in q:each() do
  io.write(item, " ")
end
print()
