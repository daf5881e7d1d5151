-- Run by test_neovim.py: nvim --headless -u NONE -l nvim_check.lua
-- Env: CRAFTLS_REPO, CRAFTLS_PYTHON, CRAFTLS_WORK (temp project with primes.pas and
-- texto.esp), CRAFTLS_RESULT (JSON file written at the end).
local repo = assert(os.getenv('CRAFTLS_REPO'))
local python = assert(os.getenv('CRAFTLS_PYTHON'))
local work = assert(os.getenv('CRAFTLS_WORK'))
local result_file = assert(os.getenv('CRAFTLS_RESULT'))
local TIMEOUT = 15000

local results = { steps = {}, errors = {} }
local function record(name, value)
  results.steps[name] = value
end
local function finish()
  local f = assert(io.open(result_file, 'w'))
  f:write(vim.json.encode(results))
  f:close()
  vim.cmd('qall!')
end

local function step(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    table.insert(results.errors, name .. ': ' .. tostring(err))
  end
end

vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
vim.cmd('filetype on')
-- the shipped config, with the server taken from the test's Python
vim.lsp.config('craftls', {
  cmd = { python, '-m', 'craftls', 'serve', '--log-file', work .. '/server.log' },
})
vim.lsp.enable('craftls')
local craftls = require('craftls')
-- no health request on attach: the statusline's first value must be what the server pushes
craftls.poll_on_attach = false

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end

local function find(buf, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1 -- 0-based line, byte column
    end
  end
  error('not found: ' .. needle)
end

local client, buf
local opened_at
step('attach', function()
  opened_at = vim.uv.hrtime()
  -- the sample is the Pascal-style language's: a user's filetype for .pas (the
  -- generated ftdetect gives it to turbopascal)
  vim.filetype.add({ extension = { pas = 'pascal' } })
  vim.cmd.edit(work .. '/primes.pas')
  buf = vim.api.nvim_get_current_buf()
  record('filetype', vim.bo[buf].filetype)
  assert(vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'craftls' })[1]
    return client ~= nil and client.initialized
  end, 20), 'craftls attached')
  record('offset_encoding', client.offset_encoding)
  record('experimental', client.config.capabilities.experimental)
  record('has_health_handler', type(client.config.handlers['craftls/health']) == 'function')
end)

step('pushed_status', function()
  -- after `initialized` the server pushes craftls/health and experimental/serverStatus
  -- once, healthy or not; the statusline has a value without asking
  assert(vim.wait(TIMEOUT, function()
    local pushed = craftls.pushed[client.id] or {}
    return pushed.health and pushed.server_status
  end, 10), 'pushed health and server status: ' .. vim.inspect(craftls.pushed))
  record('pushed_ms', math.floor((vim.uv.hrtime() - opened_at) / 1e6))
  record('pushed_statusline', craftls.statusline(buf))
  record('pushed_quiescent_values', craftls.server_status[client.id].quiescent ~= nil)
end)

step('diagnostics', function()
  local found
  assert(vim.wait(TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.message:find('Missing', 1, true) then
        found = d
        return true
      end
    end
    return false
  end, 20), 'diagnostic for Missing arrived')
  local line, col = find(buf, 'Missing')
  record('diagnostic', { message = found.message, lnum = found.lnum, col = found.col,
                         want_lnum = line, want_col = col, source = found.source })
end)

step('statusline', function()
  assert(vim.wait(TIMEOUT, function()
    return craftls.statusline(buf) == 'craftls: healthy' -- and quiescent: not '(busy)'
  end, 20), 'statusline shows health: ' .. craftls.statusline(buf))
  record('statusline', craftls.statusline(buf))
  record('health_status', craftls.health[client.id].status)
  -- a pushed craftls/health notification goes through the handler to the statusline
  client.config.handlers['craftls/health'](nil, { status = 'degraded', services = {} },
    { client_id = client.id, method = 'craftls/health' })
  record('statusline_after_notification', craftls.statusline(buf))
end)

step('completion', function()
  local line, col = find(buf, "Name := 'Sieve'")
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = col },
  }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, TIMEOUT)
  local labels = {}
  for _, response in pairs(responses or {}) do
    local items = response.result and (response.result.items or response.result) or {}
    for _, item in ipairs(items) do
      table.insert(labels, item.label)
    end
  end
  record('completion', labels)
end)

step('formatting', function()
  -- what a user's ftplugin sets; Neovim sends tabSize/insertSpaces from these
  vim.bo[buf].expandtab = true
  vim.bo[buf].shiftwidth = 2
  vim.bo[buf].tabstop = 2
  vim.lsp.buf.format({ bufnr = buf, async = false, timeout_ms = TIMEOUT })
  record('formatted_has_fix', buffer_text(buf):find('  D := 2;', 1, true) ~= nil)
  record('formatted_has_broken', buffer_text(buf):find('D:=2', 1, true) ~= nil)
end)

step('rename', function()
  local line, col = find(buf, 'Count')
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  vim.lsp.buf.rename('Total2', { bufnr = buf })
  assert(vim.wait(TIMEOUT, function()
    return buffer_text(buf):find('Total2', 1, true) ~= nil
  end, 20), 'rename applied')
  local text = buffer_text(buf)
  local _, renamed = text:gsub('%f[%w]Total2%f[%W]', '')
  local _, left = text:gsub('%f[%w]Count%f[%W]', '')
  record('rename', { renamed = renamed, left = left })
end)

step('code_action', function()
  -- Neovim's own code-action flow: apply the edit, then run the action's command
  local line, col = find(buf, 'D := D + 1')
  local s = col + #'D := '
  vim.lsp.buf.code_action({
    range = { start = { line + 1, s }, ['end'] = { line + 1, s + #'D + 1' - 1 } },
    filter = function(a) return a.title == "Extract to variable 'value'" end,
    apply = true,
  })
  assert(vim.wait(TIMEOUT, function()
    return buffer_text(buf):find('value := D + 1', 1, true) ~= nil
  end, 20), 'extract variable applied: ' .. buffer_text(buf))
  local audited
  assert(vim.wait(TIMEOUT, function()
    local responses = vim.lsp.buf_request_sync(buf, 'craftls/auditLog',
      { limit = 50, eventType = 'refactor' }, TIMEOUT)
    for _, response in pairs(responses or {}) do
      for _, rec in ipairs(response.result or {}) do
        if rec.action == 'refactor.extract' then
          audited = rec
          return true
        end
      end
    end
    return false
  end, 100), 'the applied action was audited')
  record('code_action', { has_use = buffer_text(buf):find('D := value', 1, true) ~= nil,
                          audited_title = audited.details.title })
end)

step('utf8_rename', function()
  -- non-ASCII text before the name: positions must use the negotiated encoding
  vim.cmd.edit(work .. '/texto.esp')
  local ebuf = vim.api.nvim_get_current_buf()
  assert(vim.wait(TIMEOUT, function()
    local c = vim.lsp.get_clients({ bufnr = ebuf, name = 'craftls' })[1]
    return c ~= nil and c.initialized and vim.lsp.buf_is_attached(ebuf, c.id)
  end, 20), 'attached to texto.esp')
  local line, col = find(ebuf, 'cañón')
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  vim.lsp.buf.rename('campana', { bufnr = ebuf })
  assert(vim.wait(TIMEOUT, function()
    return buffer_text(ebuf):find('campana', 1, true) ~= nil
  end, 20), 'rename applied in texto.esp')
  record('utf8_text', buffer_text(ebuf))
end)

step('show_generated', function()
  vim.api.nvim_set_current_buf(buf)
  vim.cmd('CraftlsShow wat')
  local gen = vim.api.nvim_get_current_buf()
  local text = buffer_text(gen)
  -- the line after a ";; @LINE:COL" mark maps back to that source line
  local mark_line, mark_src
  for i, line in ipairs(vim.api.nvim_buf_get_lines(gen, 0, -1, false)) do
    local src = line:match('^%s*;; @(%d+):')
    if src then
      mark_line, mark_src = i - 1, tonumber(src) - 1
      break
    end
  end
  record('wat', { has_main = text:find('(func $main (export "main")', 1, true) ~= nil,
                  modifiable = vim.bo[gen].modifiable, filetype = vim.bo[gen].filetype,
                  maps_back = { craftls.source_line(gen, mark_line + 1), mark_src } })
  vim.cmd('close')
  vim.api.nvim_set_current_buf(buf)
  vim.cmd('CraftlsShow c')
  record('c_has_main', buffer_text(vim.api.nvim_get_current_buf()):find('int main(void)', 1,
    true) ~= nil)
  vim.cmd('close')
end)

step('run', function()
  vim.api.nvim_set_current_buf(buf)
  record('run_command', craftls.craftls_command(buf))
  local job, term = craftls.run(buf, 'wasm')
  local codes = vim.fn.jobwait({ job }, 60000)
  record('run_exit', codes[1])
  assert(vim.wait(TIMEOUT, function()
    return buffer_text(term):find('in the main program', 1, true) ~= nil
  end, 20), 'the traceback reached the terminal: ' .. buffer_text(term))
  record('run_output', buffer_text(term))
end)

finish()
