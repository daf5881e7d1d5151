"""Names of the ``workspace/executeCommand`` commands the server offers, apart from
their implementations: registering a command must not load the registry stack (httpx
and friends), which would delay the answer to ``initialize``."""

INSTALL_PACKAGES = "craftls.install"

# Sent by the client right after it applied a code action's edit (LSP: "first the edit
# is executed and then the command"), so the audit log records what was applied, not
# everything that was merely offered.
ACTION_APPLIED = "craftls.actionApplied"
