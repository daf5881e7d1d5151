-- craftls for Neovim 0.11+: picked up by `vim.lsp.enable('craftls')` when this folder is
-- on 'runtimepath'. Override any field with `vim.lsp.config('craftls', { ... })`.
local craftls = require('craftls')

---@type vim.lsp.Config
return {
  -- A function, so that the workspace's .venv/bin/craftls is found per project root;
  -- set `cmd = { '/path/to/craftls', 'serve' }` to use a fixed command instead.
  cmd = function(dispatchers, config)
    local root = config and config.root_dir or vim.fn.getcwd()
    return vim.lsp.rpc.start(craftls.server_command(root), dispatchers, { cwd = root })
  end,
  filetypes = craftls.filetypes,
  root_markers = { 'craft.toml', '.git' },
  capabilities = {
    -- opt in to the rust-analyzer style status notification
    experimental = { serverStatusNotification = true },
  },
  settings = { craftls = {} },
  init_options = { notifications = { health = true } },
  handlers = {
    ['craftls/health'] = craftls.on_health_notification,
    ['experimental/serverStatus'] = craftls.on_server_status,
  },
  on_attach = craftls.on_attach,
  on_exit = craftls.on_exit,
}
