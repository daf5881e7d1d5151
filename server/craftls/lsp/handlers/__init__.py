"""The protocol's handlers, one module per area; each declares its functions with
``lsp.routes`` and ``create_server`` installs them. A handler gets the server and the
params, finds its snapshot with ``routes.document_at``, asks the core and converts the
answer with ``to_proto``: no feature logic here."""
