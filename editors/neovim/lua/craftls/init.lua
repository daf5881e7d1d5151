-- craftls helpers for Neovim: the server command, the `craftls/health` notification
-- handler, health polling, a statusline component, and the buffer commands
-- `:CraftlsRun [interp|c|wasm]` and `:CraftlsShow [c|wat]` (set on attach).
--
--   vim.lsp.enable('craftls')
--   vim.o.statusline = "%f %m%=%{v:lua.require'craftls'.statusline()} %l:%c"
local M = {}

--- The bundled languages' filetypes (see ftdetect/craftls.lua).
M.filetypes = { 'basic', 'curly', 'espanol', 'lua', 'pascal', 'qbasic', 'teachlang', 'turbopascal' }

--- Extra arguments after `craftls serve` (e.g. { '--log-file', '/tmp/craftls.log' }).
M.server_args = {}

--- Last health payload per client id: { status = 'healthy', services = {...}, time = ... }.
M.health = {}

--- Last `experimental/serverStatus` per client id.
M.server_status = {}

--- Per client id, what the server pushed: { health = true, server_status = true }. The
--- server sends both once after `initialized`, then on change only.
M.pushed = {}

--- Ask for the health when a buffer attaches (the server also pushes it at start-up).
M.poll_on_attach = true

local function mark_pushed(client_id, what)
  M.pushed[client_id] = M.pushed[client_id] or {}
  M.pushed[client_id][what] = true
end

local function executable(path)
  return path and vim.fn.executable(path) == 1
end

--- `craftls serve` from <root>/.venv, else from PATH.
function M.server_command(root)
  local candidates = {}
  if root then
    table.insert(candidates, vim.fs.joinpath(root, '.venv', 'bin', 'craftls'))
    table.insert(candidates, vim.fs.joinpath(root, '.venv', 'Scripts', 'craftls.exe'))
  end
  local exe = 'craftls'
  for _, candidate in ipairs(candidates) do
    if executable(candidate) then
      exe = candidate
      break
    end
  end
  return vim.list_extend({ exe, 'serve' }, M.server_args)
end

local function redraw()
  vim.schedule(function()
    pcall(vim.cmd.redrawstatus)
  end)
end

--- Handler for the `craftls/health` notification (and the response to the request).
function M.on_health(err, result, ctx)
  if err or type(result) ~= 'table' then
    return
  end
  M.health[ctx.client_id] = result
  redraw()
end

--- Handler for the pushed `craftls/health` notification.
function M.on_health_notification(err, result, ctx)
  if not err and type(result) == 'table' then
    mark_pushed(ctx.client_id, 'health')
  end
  M.on_health(err, result, ctx)
end

--- Handler for `experimental/serverStatus`
--- ({ health = 'ok'|'warning'|'error', quiescent = bool, message? }).
function M.on_server_status(_, result, ctx)
  if type(result) == 'table' then
    mark_pushed(ctx.client_id, 'server_status')
    M.server_status[ctx.client_id] = result
    redraw()
  end
end

--- Ask the server for its health now; `callback(payload)` when it answers.
function M.poll(client, callback)
  if not client or client:is_stopped() then
    return false
  end
  return client:request('craftls/health', vim.empty_dict(), function(err, result, ctx)
    M.on_health(err, result, ctx)
    if callback then
      callback(result)
    end
  end)
end

local group = vim.api.nvim_create_augroup('craftls', { clear = false })

--- The craftls command line without `serve` and what follows it: the client's own
--- command when it is a list, else the one `server_command` finds.
function M.craftls_command(bufnr)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'craftls' })[1]
  local cmd = client and type(client.config.cmd) == 'table' and client.config.cmd
    or M.server_command(client and client.config.root_dir or vim.fn.getcwd())
  local out = {}
  for _, part in ipairs(cmd) do
    if part == 'serve' then
      break
    end
    table.insert(out, part)
  end
  return out
end

--- `:CraftlsRun [interp|c|wasm]`: write the buffer and run `craftls run FILE --target T`
--- in a terminal split (the program reads what you type there). Returns the job id and
--- the terminal buffer.
function M.run(bufnr, target)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  target = (target and target ~= '') and target or 'interp'
  local file = vim.api.nvim_buf_get_name(bufnr)
  if vim.bo[bufnr].modified then
    vim.api.nvim_buf_call(bufnr, function()
      vim.cmd('silent write')
    end)
  end
  local cmd = vim.list_extend(M.craftls_command(bufnr), { 'run', file, '--target', target })
  vim.cmd('botright new')
  local job = vim.fn.jobstart(cmd, { term = true })
  return job, vim.api.nvim_get_current_buf()
end

--- `:CraftlsShow [c|wat]`: the code craftls generates for the buffer
--- (`craftls/generatedCode`) in a read-only scratch buffer; `vim.b.craftls_line_map` holds
--- its line map and `gs` there goes to the source line of the cursor's line.
function M.show(bufnr, target)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  target = (target and target ~= '') and target or 'c'
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'craftls' })[1]
  if not client then
    vim.notify('craftls is not attached to this buffer', vim.log.levels.ERROR)
    return nil
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, target = target }
  local response = client:request_sync('craftls/generatedCode', params, 30000, bufnr)
  if not response or response.err then
    local message = response and response.err and response.err.message or 'no answer'
    vim.notify('craftls: ' .. message, vim.log.levels.ERROR)
    return nil
  end
  local result = response.result
  local gen = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(gen, 0, -1, false, vim.split(result.text, '\n', { plain = true }))
  vim.bo[gen].bufhidden = 'wipe'
  vim.bo[gen].filetype = target
  vim.bo[gen].modifiable = false
  vim.bo[gen].readonly = true
  vim.b[gen].craftls_line_map = result.lineMap
  vim.b[gen].craftls_source = bufnr
  vim.keymap.set('n', 'gs', function()
    M.goto_source(gen)
  end, { buffer = gen, desc = 'craftls: the source line of this generated line' })
  vim.cmd('botright split')
  vim.api.nvim_win_set_buf(0, gen)
  return gen
end

--- The 0-based source line that generated `line` (0-based; default: the cursor's line).
function M.source_line(gen, line)
  line = line or (vim.api.nvim_win_get_cursor(0)[1] - 1)
  local found
  for _, pair in ipairs(vim.b[gen].craftls_line_map or {}) do
    if pair[1] <= line then
      found = pair[2]
    end
  end
  return found
end

function M.goto_source(gen)
  local line = M.source_line(gen)
  local source = vim.b[gen].craftls_source
  if not line or not source or not vim.api.nvim_buf_is_valid(source) then
    return
  end
  vim.cmd('wincmd p')
  vim.api.nvim_set_current_buf(source)
  vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
end

local function complete(choices)
  return function()
    return choices
  end
end

function M.on_attach(client, bufnr)
  vim.api.nvim_buf_create_user_command(bufnr, 'CraftlsRun', function(args)
    M.run(bufnr, args.args)
  end, { nargs = '?', complete = complete({ 'interp', 'c', 'wasm' }),
         desc = 'craftls: run this file (interp, c or wasm) in a terminal' })
  vim.api.nvim_buf_create_user_command(bufnr, 'CraftlsShow', function(args)
    M.show(bufnr, args.args)
  end, { nargs = '?', complete = complete({ 'c', 'wat' }),
         desc = 'craftls: show the generated C or WebAssembly text' })
  if M.poll_on_attach then
    M.poll(client)
  end
  vim.api.nvim_clear_autocmds({ group = group, buffer = bufnr })
  vim.api.nvim_create_autocmd('BufWritePost', {
    group = group,
    buffer = bufnr,
    desc = 'craftls: poll health after a save',
    callback = function()
      M.poll(vim.lsp.get_client_by_id(client.id))
    end,
  })
end

function M.on_exit(_, _, client_id)
  M.health[client_id] = nil
  M.server_status[client_id] = nil
  M.pushed[client_id] = nil
  redraw()
end

--- A statusline component: '' outside craftls buffers, else e.g. 'craftls: healthy', with
--- ' (busy)' while the server indexes, loads definitions or installs packages.
function M.statusline(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local clients = vim.lsp.get_clients({ bufnr = bufnr, name = 'craftls' })
  local client = clients[1]
  if not client then
    return ''
  end
  local status = M.server_status[client.id]
  local busy = (status and status.quiescent == false) and ' (busy)' or ''
  local health = M.health[client.id]
  if health and health.status then
    return 'craftls: ' .. health.status .. busy
  end
  if status and status.health then
    return 'craftls: ' .. status.health .. busy
  end
  return client.initialized and 'craftls: running' or 'craftls: starting'
end

--- Optional one-call setup: enables the server (Neovim 0.11+).
function M.setup(opts)
  opts = opts or {}
  if opts.server_args then
    M.server_args = opts.server_args
  end
  if opts.config then
    vim.lsp.config('craftls', opts.config)
  end
  vim.lsp.enable('craftls')
end

return M
