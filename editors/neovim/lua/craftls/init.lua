-- craftls helpers for Neovim: the server command, the `craftls/health` notification
-- handler, health polling and a statusline component.
--
--   vim.lsp.enable('craftls')
--   vim.o.statusline = "%f %m%=%{v:lua.require'craftls'.statusline()} %l:%c"
local M = {}

--- The bundled languages' filetypes (see ftdetect/craftls.lua).
M.filetypes = { 'basic', 'curly', 'espanol', 'pascal', 'teachlang', 'turbopascal' }

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

function M.on_attach(client, bufnr)
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
