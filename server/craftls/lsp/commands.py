"""Names of the ``workspace/executeCommand`` commands the server offers, apart from
their implementations: registering a command must not load the registry stack (httpx
and friends), which would delay the answer to ``initialize``."""

INSTALL_PACKAGES = "craftls.install"
