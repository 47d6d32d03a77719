"""Task links: a page, its settings, which controls are locked or hidden, and an instruction.

The teacher makes a task on the teacher's page; the link opens the page with its usual
query parameters (the widgets bound to the address take them, as for any shared link) plus
``task=TOKEN``. The token carries the page, the locked and hidden controls with their values,
and the instruction, and is **signed** (HMAC-SHA256 under the server's identity secret,
``core.identity.secret``): the instruction is shown on top of the page as the teacher's words,
so a student must not be able to make a link that shows any text in that place (a fake
"teacher says: type your password here"), nor unlock a control while keeping the task. A
token that does not verify is ignored and the page opens as usual. Locks stay a teaching
aid, not security: removing ``task`` from the address gives the normal page.

Token: ``base64url(zlib(json)).sig`` with ``sig`` the first 16 bytes of the HMAC, base64url.
No Streamlit here (``ui.task`` applies a task, ``lab/classroom/view_tasks`` builds one).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import unicodedata
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from core import identity
from core.errors import InputError

PARAM = "task"  # the query parameter that holds the token
MAX_INSTRUCTION = 280  # characters: a task says what to try, and the link stays QR-sized
MAX_TOKEN = 2000  # longer tokens are not decoded at all
MAX_VALUE = 200  # one setting's text (a link is not a file)
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")  # widget keys: safe as CSS class names


@dataclass(frozen=True)
class Control:
    """A control a task may lock: its ``name`` (the query parameter: the key of the widget bound
    to the address), the widget ``keys`` it sets and the translation key of its ``label``."""

    name: str
    keys: tuple[str, ...]
    label: str
    params: tuple[str, ...] = ()  # the query parameters it covers when not just ``name``

    @property
    def query(self) -> tuple[str, ...]:
        return self.params or (self.name,)


def _k(key: str, label: str) -> Control:
    """A widget bound to the address (``bind="query-params"``): its parameter is its key."""
    return Control(key, (key,), label)


_UNITS = Control("playground_units", tuple(f"playground_units_{i}" for i in range(6)), "classroom.tasks.units",
                 tuple(f"playground_units_{i}" for i in range(6)))  # one widget per hidden layer
# The pages a task can be made for (url path -> their main controls). Each entry is a widget
# bound to the address (tests/unit/test_tasks.py checks the keys against the page sources).
CATALOGUE: dict[str, tuple[Control, ...]] = {
    "playground": (
        _k("playground_dataset", "playground.data.dataset"), _k("playground_noise", "playground.data.noise"),
        _k("playground_features", "playground.net.features"), _k("playground_layers", "playground.net.layers"),
        _UNITS, _k("playground_activation", "playground.net.activation"), _k("playground_lr", "playground.net.lr"),
        _k("playground_reg", "playground.net.reg"), _k("playground_epochs", "playground.net.epochs")),
    "perceptron": tuple(_k(f"perceptron_{k}", f"perceptron.{label}") for k, label in (
        ("gate", "rule.gate"), ("lr", "rule.lr"), ("b0", "rule.b0"), ("w1", "rule.w1"), ("w2", "rule.w2"),
        ("hidden", "train.hidden"), ("activation", "train.activation"), ("epochs", "train.epochs"))),
    "activations": (
        _k("activations_chosen", "activations.curves.choose"), _k("activations_show_d", "activations.curves.derivatives"),
        _k("activations_temperature", "activations.softmax.temperature"),
        _k("activations_depth", "activations.vanishing.layers")),
    "convolution": (
        _k("convolution_source", "convolution.input.source"), _k("convolution_kernel", "convolution.kernel.preset"),
        _k("convolution_kernel_size", "convolution.kernel.size"), _k("convolution_stride", "convolution.kernel.stride"),
        _k("convolution_padding", "convolution.kernel.padding"), _k("convolution_pool_mode", "convolution.pool.mode")),
    "classifier": (
        _k("classifier_model", "classifier.model.choose"), _k("classifier_source", "classifier.draw.source")),
}


@dataclass(frozen=True)
class Task:
    """What a task link asks for. ``settings``: query text per control name (the locked and
    hidden ones at least); ``locked``/``hidden``: control names; ``instruction``: plain text."""

    page: str
    settings: Mapping[str, str] = field(default_factory=dict)
    locked: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    instruction: str = ""

    def keys(self, names: tuple[str, ...]) -> set[str]:
        """The widget keys of the controls ``names`` on this task's page."""
        return {k for c in CATALOGUE.get(self.page, ()) if c.name in names for k in c.keys}

    def fixed(self) -> dict[str, str]:
        """The query values of the locked and hidden controls (``{parameter: text}``)."""
        closed = (*self.locked, *self.hidden)
        return {p: self.settings[p] for c in CATALOGUE.get(self.page, ()) if c.name in closed
                for p in c.query if p in self.settings}

    def defaults(self) -> set[str]:
        """The parameters of locked and hidden controls bound to the address that the task
        gives no value: Streamlit leaves a default out of the address, so they are at their
        default and a student's address must not set them."""
        closed = (*self.locked, *self.hidden)
        return {p for c in CATALOGUE.get(self.page, ()) if c.name in closed for p in c.query if p not in self.settings}


def clean_instruction(text: str) -> str:
    """``text`` as plain text: control characters (but line breaks) dropped, lines trimmed."""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n")
    kept = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")
    return "\n".join(line.rstrip() for line in kept.strip().split("\n"))


def check(task: Task) -> Task:
    """``task`` made tidy, or ``InputError`` for what the teacher must change: an unknown page,
    a control the page does not have, a missing or too long setting, a too long instruction."""
    if task.page not in CATALOGUE:
        raise InputError("task.page", page=task.page)
    names = [c.name for c in CATALOGUE[task.page]]
    closed = tuple(n for n in names if n in task.locked or n in task.hidden)
    for name in (*task.locked, *task.hidden):
        if name not in names:
            raise InputError("task.control", name=name)
    instruction = clean_instruction(task.instruction)
    if len(instruction) > MAX_INSTRUCTION:
        raise InputError("task.instruction", n=len(instruction), limit=MAX_INSTRUCTION)
    params = {p for c in CATALOGUE[task.page] for p in c.query}
    settings = {n: str(v) for n, v in task.settings.items() if n in params}
    for name, text in settings.items():
        if len(text) > MAX_VALUE:
            raise InputError("task.setting", name=name, limit=MAX_VALUE)
    hidden = tuple(n for n in closed if n in task.hidden)
    locked = tuple(n for n in closed if n not in hidden)
    return Task(task.page, settings, locked, hidden, instruction)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sig(body: str, secret: bytes) -> str:
    return _b64(hmac.new(secret, b"nnlab-task:" + body.encode(), hashlib.sha256).digest()[:16])


def encode(task: Task, secret: bytes | None = None) -> str:
    """The signed token of ``task`` (checked first: ``InputError`` for a bad one)."""
    task = check(task)
    data = {"p": task.page, "s": dict(task.settings), "l": list(task.locked), "h": list(task.hidden),
            "i": task.instruction}
    body = _b64(zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode(), 9))
    return f"{body}.{_sig(body, secret or identity.secret())}"


def decode(token: str | None, secret: bytes | None = None) -> Task | None:
    """The task in ``token``, or ``None`` when it is missing, too long, not signed by this server
    (edited by hand) or not a task of a known page. Never raises."""
    if not token or len(token) > MAX_TOKEN or token.count(".") != 1:
        return None
    body, sig = token.split(".")
    if not hmac.compare_digest(sig.encode(), _sig(body, secret or identity.secret()).encode()):
        return None
    try:
        data = json.loads(zlib.decompressobj().decompress(_unb64(body), 16_384))
        task = Task(str(data["p"]), {str(k): str(v) for k, v in dict(data["s"]).items()},
                    tuple(map(str, data["l"])), tuple(map(str, data["h"])), str(data["i"]))
        return check(task)
    except (ValueError, KeyError, TypeError, zlib.error):
        return None


def settings_from_address(address: str, page: str) -> dict[str, str]:
    """The settings of ``page``'s controls in a copied page address (``.../perceptron?lr=0.5``);
    ``InputError`` when the address is of another page."""
    parts = urlsplit(address.strip())
    path = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if path != page:
        raise InputError("task.address", page=page)
    return {k: v for k, v in parse_qsl(parts.query) if k not in ("lang", PARAM)}


def link(base: str, task: Task, token: str, lang: str, extra: Mapping[str, str] | None = None) -> str:
    """The address a student opens: ``base/page?settings&lang&task=token``. ``extra`` holds the
    page's other query parameters (from a copied address), written before the task's own."""
    query = {**(extra or {}), **task.settings, "lang": lang, PARAM: token}
    return f"{base.rstrip('/')}/{task.page}?{urlencode(query)}"


def valid_key(key: str) -> bool:
    """Whether ``key`` is a widget key that may go into a CSS class name."""
    return bool(_KEY.match(key))
