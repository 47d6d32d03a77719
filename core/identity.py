"""Who a browser is: an owner id the server signs, so jobs, drawings, symbols and models stay
their student's across a reload, a closed tab and another replica.

The browser keeps a token ``OWNER.SIGNATURE`` (``ui.identity`` writes it as a cookie). The
signature is HMAC-SHA256 of the owner id under a server secret, so a student cannot make up
a classmate's token: knowing an owner id (the sidebar shows a short prefix of it) is not
enough. The secret is, in order: ``NNLAB_IDENTITY_SECRET``, ``STREAMLIT_SERVER_COOKIE_SECRET``,
else a random one created once in ``$NNLAB_HOME/identity.secret`` (mode 0600). Replicas that
share the home folder or the environment agree on every token.

No Streamlit here: tests and workers use it directly.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
from pathlib import Path

from core.paths import user_home

SECRET_FILE = "identity.secret"
ENV_SECRETS = ("NNLAB_IDENTITY_SECRET", "STREAMLIT_SERVER_COOKIE_SECRET")
OWNER_CHARS = 16  # hex characters of a new owner id (64 random bits)
_OWNER = re.compile(r"[A-Za-z0-9_-]{6,32}")
_SIG = re.compile(r"[0-9a-f]{64}")
_lock = threading.Lock()
_file_secrets: dict[str, bytes] = {}  # secret file path -> its bytes (read once per process)


def _secret_from_file(path: Path) -> bytes:
    """The secret in ``path``, created there first if missing.

    Created as a temporary file with mode 0600 and linked to its final name: ``os.link``
    fails if another process (a second replica starting at the same moment) won the race,
    and then everyone reads the winner's secret.
    """
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: theirs counts
    finally:
        tmp.unlink(missing_ok=True)
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        raise ValueError(f"{path} holds no usable secret")
    return text.encode()


def secret() -> bytes:
    """The signing secret (see the module docstring for where it comes from)."""
    for name in ENV_SECRETS:
        value = os.environ.get(name, "")
        if value:
            return value.encode()
    path = user_home() / SECRET_FILE
    key = str(path)
    with _lock:
        if key not in _file_secrets:
            _file_secrets[key] = _secret_from_file(path)
        return _file_secrets[key]


def new_owner() -> str:
    """A fresh random owner id (hex)."""
    return secrets.token_hex(OWNER_CHARS // 2)


def signature(owner: str) -> str:
    """HMAC-SHA256 of ``owner`` under the server secret, as hex."""
    return hmac.new(secret(), owner.encode(), hashlib.sha256).hexdigest()


def sign(owner: str) -> str:
    """The token a browser keeps: ``OWNER.SIGNATURE``."""
    if not _OWNER.fullmatch(owner):
        raise ValueError(f"not an owner id: {owner!r}")
    return f"{owner}.{signature(owner)}"


def verify(token: str | None) -> str | None:
    """The owner id of a genuine token, else ``None`` (forged, truncated, or not a token).

    The signature is compared in constant time, so timing tells nothing about how much of
    a guess was right.
    """
    if not token or not isinstance(token, str) or len(token) > 128:
        return None
    owner, _, sig = token.strip().partition(".")
    if not _OWNER.fullmatch(owner) or not _SIG.fullmatch(sig):
        return None
    return owner if hmac.compare_digest(sig, signature(owner)) else None


def short(owner: str) -> str:
    """The first six characters: what other students see of an owner id."""
    return (owner or "?")[:6]
