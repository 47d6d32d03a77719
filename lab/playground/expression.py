"""A function of x1 and x2 typed by a student, read safely: parsed with ``ast``, never ``eval``.

Only numbers, the names ``x1``, ``x2``, ``pi`` and ``e``, the operators ``+ - * / **``
and a short list of one-argument functions (``sin``, ``cos``, ``exp``...) are accepted;
anything else (attributes, subscripts, other calls, keywords, lambdas, comparisons) is an
``InputError`` naming what was refused. The tree is walked by hand over numpy float64
arrays, so nothing the student types reaches Python's interpreter; powers are bounded
(a constant exponent of at most ``MAX_POWER``) and results must be finite.

    f = parse("sin(pi * x1) * x2 ** 2")
    f(x1, x2)  # numpy arrays of the same shape
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import numpy as np

from core.errors import InputError

MAX_CHARS = 200
MAX_NODES = 80  # ast nodes: plenty for a formula, far too few for anything costly
MAX_POWER = 8  # |exponent| of a constant power
MAX_CONSTANT = 1e6
NAMES = {"x1": None, "x2": None, "pi": np.pi, "e": np.e}
FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh, "exp": np.exp, "log": np.log,
    "sqrt": np.sqrt, "abs": np.abs, "sign": np.sign}
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive}


def _constant(node: ast.Constant) -> float:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not abs(value) <= MAX_CONSTANT:
        raise InputError("playground.expr_constant", value=repr(value)[:20], limit=MAX_CONSTANT)
    return float(value)


def _exponent(node: ast.AST) -> None:
    """Only a plain number (maybe negated) of at most ``MAX_POWER`` may be an exponent."""
    inner = node.operand if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY else node
    if not isinstance(inner, ast.Constant):
        raise InputError("playground.expr_power", value=ast.unparse(node)[:30], limit=MAX_POWER)
    if abs(_constant(inner)) > MAX_POWER:
        raise InputError("playground.expr_power", value=ast.unparse(node)[:30], limit=MAX_POWER)


def _check(node: ast.AST) -> None:
    """Raise an ``InputError`` for the first node outside the whitelist (the tree is walked top down)."""
    if isinstance(node, ast.Expression):
        return _check(node.body)
    if isinstance(node, ast.Constant):
        _constant(node)
    elif isinstance(node, ast.Name):
        if node.id not in NAMES:
            raise InputError("playground.expr_name", value=node.id[:30], choices="x1, x2, pi, e")
    elif isinstance(node, ast.BinOp) and (type(node.op) in _BINARY or isinstance(node.op, ast.Pow)):
        if isinstance(node.op, ast.Pow):
            _exponent(node.right)
        _check(node.left)
        _check(node.right)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        _check(node.operand)
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)[:30]
        if name not in FUNCTIONS or node.keywords or len(node.args) != 1:
            raise InputError("playground.expr_call", value=name, choices=", ".join(FUNCTIONS))
        _check(node.args[0])
    else:
        raise InputError("playground.expr_syntax", value=ast.unparse(node)[:40] if isinstance(node, ast.expr)
                         else type(node).__name__)


def _value(node: ast.AST, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """The checked tree's value over the points (float64 arrays)."""
    if isinstance(node, ast.Constant):
        return np.full_like(x1, float(node.value))
    if isinstance(node, ast.Name):
        return x1 if node.id == "x1" else x2 if node.id == "x2" else np.full_like(x1, NAMES[node.id])
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left, x1, x2), _value(node.right, x1, x2)
        return np.power(left, right) if isinstance(node.op, ast.Pow) else _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_value(node.operand, x1, x2))
    return FUNCTIONS[node.func.id](_value(node.args[0], x1, x2))  # a checked Call


def parse(text: str) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``f(x1, x2)`` for the formula ``text``, or an ``InputError`` saying what is not allowed.

    ``f`` returns float64 values shaped like its arguments and raises an ``InputError`` when a
    value is not finite (``log(0)``, ``1/0``, overflow) at one of the points asked.
    """
    text = str(text).strip()
    if not text:
        raise InputError("playground.expr_empty")
    if len(text) > MAX_CHARS:
        raise InputError("playground.expr_long", count=len(text), limit=MAX_CHARS)
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")  # x1^2 is how many students write it
    except SyntaxError:
        raise InputError("playground.expr_syntax", value=text[:40]) from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise InputError("playground.expr_long", count=count, limit=MAX_NODES)
    _check(tree)

    def f(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
        a, b = np.broadcast_arrays(np.asarray(x1, dtype=np.float64), np.asarray(x2, dtype=np.float64))
        with np.errstate(all="ignore"):
            out = _value(tree.body, a.copy(), b.copy())
        if not np.all(np.isfinite(out)):
            bad = int(np.argmax(~np.isfinite(out.ravel())))
            raise InputError("playground.expr_values", value=text[:40], x1=round(float(a.ravel()[bad]), 3),
                             x2=round(float(b.ravel()[bad]), 3))
        return out

    return f
