"""Registry URL helpers: normalise user input and tell file URLs from HTTP ones."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

INDEX_NAME = "index.json"


def normalize_registry_url(value: str, base_dir: Path | None = None) -> str:
    """Turn a path or URL into the URL of a registry's ``index.json``.

    Plain paths become ``file://`` URLs (relative ones against ``base_dir``); a URL
    or path naming a folder gets ``index.json`` appended.
    """
    value = value.strip()
    if "://" not in value:
        path = Path(value).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        path = path.resolve()
        if path.suffix != ".json":
            path = path / INDEX_NAME
        return path.as_uri()
    if value.endswith("/"):
        return value + INDEX_NAME
    if not urlsplit(value).path.endswith(".json"):
        return value + "/" + INDEX_NAME
    return value


def resolve(registry_url: str, relative: str) -> str:
    """Resolve a URL found in a registry document against the registry's index URL."""
    return urljoin(registry_url, relative)


@lru_cache(maxsize=8192)
def package_index_url(registry_url: str, name: str) -> str:
    """Where ``packages/<name>.json`` lives (a fixed path in format 1)."""
    return resolve(registry_url, f"packages/{name}.json")


FETCH_SCHEMES = frozenset({"http", "https"})


def check_fetch_url(url: str, registry_url: str | None, what: str = "URL") -> str:
    """``url`` if it may be fetched for ``registry_url``; else UnsafeURL.

    Documents and archives come over http(s); ``file://`` only when the registry
    itself was configured as a local path (an HTTP index must not make us copy a
    local file into the store)."""
    from .errors import UnsafeURL  # errors imports nothing; keeps urls.py import-light
    scheme = urlsplit(url).scheme.lower()
    if scheme in FETCH_SCHEMES or (scheme == "file" and registry_url is not None
                                   and is_file_url(registry_url)):
        return url
    source = f" (from {registry_url})" if registry_url else ""
    raise UnsafeURL(f"refusing {what} {url}{source}: only http(s) URLs are fetched, and "
                    "file:// only for a registry configured as a local path")


def check_request_url(url: str) -> None:
    """Refuse, as one clear error and without retrying, a URL no request can succeed
    with: an unsupported scheme (``ftp://``), no host, or a port outside 0..65535."""
    from .errors import FormatError, UnsafeURL
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return
    if scheme not in FETCH_SCHEMES:
        raise UnsafeURL(f"{url}: unsupported URL scheme {scheme + '://' if scheme else ''!r}"
                        "; registries are http(s) URLs or local paths")
    try:
        parts.port  # noqa: B018 - urllib validates the port when it is read
    except ValueError as exc:
        raise FormatError(f"{url}: invalid port ({exc})") from None
    if not parts.hostname:
        raise FormatError(f"{url}: no host name")


def is_file_url(url: str) -> bool:
    return url.startswith("file:")


def file_path(url: str) -> Path:
    """The local path of a ``file://`` URL."""
    return Path(unquote(urlsplit(url).path))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` with the scheme's default port filled in: credentials
    are bound to exactly this triple (``http://h`` and ``http://h:80`` are the same).

    Raises ValueError for a port that is not a number in 0..65535."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def host_of(url: str) -> str:
    """The key for per-host limiting and breaking: ``host:port`` or ``file``."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return "file"
    return parts.netloc.rsplit("@", 1)[-1].lower()
