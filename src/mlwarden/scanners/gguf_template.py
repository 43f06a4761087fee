"""Static analysis of GGUF chat templates (Jinja) for sandbox-escape constructs.

llama-cpp-python rendered ``tokenizer.chat_template`` with a non-sandboxed Jinja environment, so a
template reaching ``__class__.__mro__`` / ``__subclasses__`` / ``__globals__`` ran code on load
(CVE-2024-34359, "Llama Drama"); even sandboxed environments have been escaped through
``str.format`` and attribute tricks. We never render the template: ``jinja2.Environment().lex()``
only tokenises it, and string literals are unescaped by us so ``'\\x5f\\x5fclass\\x5f\\x5f'`` and
``'_' ~ '_' ~ 'class' ~ '_' ~ '_'`` are seen for what they build.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

__all__ = ["TemplateReport", "analyse_template"]

# Names that only appear in templates written to reach Python internals. NOTE: not ``system``:
# real templates say ``ns.system`` for a namespace attribute holding the system prompt.
_MODULE_NAMES = frozenset({"os", "subprocess", "sys", "builtins", "importlib"})
_FLASK_OBJECTS = frozenset({"request", "url_for", "get_flashed_messages"})
_ESCAPE_ATTRIBUTES = frozenset(
    {
        "popen", "eval", "exec", "getattr", "globals", "builtins", "import_module", "func_globals",
        "f_globals", "gi_frame", "gi_code", "tb_frame", "f_back", "co_code", "check_output", "spawn",
    }
)  # fmt: skip
# Jinja default globals whose function objects carry ``__globals__`` (classic sandbox escapes).
_GADGET_GLOBALS = frozenset({"lipsum", "cycler", "joiner"})
_FORMAT_NAMES = frozenset({"format", "format_map"})
_CONCAT = frozenset({"~", "+"})
_MAX_TOKENS = 500_000
# NOTE: only .lex() is ever called on this environment: nothing is compiled or rendered.
_LEXER_ENV = jinja2.Environment(autoescape=True)


@dataclass(slots=True)
class TemplateReport:
    """What the tokeniser saw: ``escapes`` are near-certain exploits, ``suspicious`` are odd constructs."""

    escapes: list[str] = field(default_factory=list)
    suspicious: list[str] = field(default_factory=list)
    error: str = ""

    def add(self, bucket: list[str], item: str) -> None:
        """Record ``item`` once, keeping the first dozen."""
        if item not in bucket and len(bucket) < 12:
            bucket.append(item)


def _unescape(raw: str) -> str:
    body = raw[1:-1] if len(raw) >= 2 and raw[0] in "'\"" else raw
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode-escape")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return body


def analyse_template(template: str) -> TemplateReport:
    """Tokenise ``template`` with Jinja's lexer (no parsing into code, no rendering) and classify it."""
    report = TemplateReport()
    try:
        tokens = [(kind, value) for _, kind, value in _LEXER_ENV.lex(template)]
    except jinja2.TemplateSyntaxError as exc:
        report.error = f"template does not tokenise: {exc.message}"
        return report
    if len(tokens) > _MAX_TOKENS:
        report.add(report.suspicious, f"{len(tokens)} tokens")
        tokens = tokens[:_MAX_TOKENS]
    _names(tokens, report)
    _strings(tokens, report)
    return report


def _names(tokens: list[tuple[str, str]], report: TemplateReport) -> None:
    previous = ("", "")
    for kind, value in tokens:
        if kind == "name":
            _name(value, previous, report)
        previous = (kind, value) if kind not in ("whitespace", "data") else previous


def _name(value: str, previous: tuple[str, str], report: TemplateReport) -> None:
    after_dot = previous == ("operator", ".")
    if value.startswith("__") and value.endswith("__"):
        report.add(report.escapes, f"dunder attribute {value}")
    elif value in _MODULE_NAMES and not after_dot:
        report.add(report.escapes, f"module name {value}")
    elif value in _ESCAPE_ATTRIBUTES and after_dot:
        report.add(report.escapes, f"attribute .{value}")
    elif value in _FORMAT_NAMES and after_dot:
        report.add(report.suspicious, f"str.{value} call (format-string attribute access)")
    elif value in _GADGET_GLOBALS | _FLASK_OBJECTS and not after_dot:
        report.add(report.suspicious, f"global {value}")
    elif value == "attr" and previous == ("operator", "|"):
        report.add(report.suspicious, "|attr filter (attribute access by string)")


def _strings(tokens: list[tuple[str, str]], report: TemplateReport) -> None:
    """String literals, and chains of literals joined by ``~`` or ``+``, that spell dunder names."""
    chain: list[str] = []
    expect_string = True
    for kind, value in tokens:
        if kind == "whitespace":
            continue
        if kind == "string" and expect_string:
            chain.append(_unescape(value))
            expect_string = False
        elif kind == "operator" and value in _CONCAT and chain and not expect_string:
            expect_string = True
        else:
            _check_chain(chain, report)
            chain, expect_string = [], True
            if kind == "string":
                chain, expect_string = [_unescape(value)], False
    _check_chain(chain, report)


def _check_chain(chain: list[str], report: TemplateReport) -> None:
    if not chain:
        return
    built = "".join(chain)
    if "__" in built:
        how = "string literal" if len(chain) == 1 else f"concatenation of {len(chain)} literals"
        report.add(report.escapes, f"{how} builds {built[:60]!r}")
    elif len(chain) == 1 and built and set(built) == {"_"}:
        report.add(report.suspicious, "underscore-only string literal (dunder construction)")
