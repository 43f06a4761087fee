"""Dockerfile checks: who the model server runs as, what it is built from, and what the build trusts.

Stages are tracked the way BuildKit builds them: a stage starts at FROM with its base image's user and
health check, or those of an earlier stage it names; USER and HEALTHCHECK in a stage replace them. Only the
final stage is what runs, so only its effective user and health check are judged; every stage's base image,
downloads and secrets are judged, because they reach the build (and often the final image) either way.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.platform import rules as R
from mlwarden.scanners.platform.common import Emit, Pin, find_secret, image_pin, shell_risks, tls_off
from mlwarden.scanners.platform.dockerfile_parse import Instruction, parse_dockerfile, substitute
from mlwarden.scanners.platform.mlserve import emit_exposures

__all__ = ["looks_like_dockerfile", "scan_dockerfile"]

_ROOT_USERS = frozenset({"root", "0"})
_NONROOT_HINTS = ("nonroot", "non-root", "chainguard/", "cgr.dev/")
_URL = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)
_CHMOD_777 = re.compile(r"\bchmod\s+(?:-[A-Za-z]+\s+)*(?:0?777|a\+rwx|ugo\+rwx|o\+w)\b")
_SUDO = re.compile(r"(?:^|[;&|(]|\s)sudo\s")
_APT_INSTALL = re.compile(r"\bapt-get\s+(?:-\S+\s+)*install\b[^;&|\n]*")
_INDEX_UPDATE = re.compile(r"^(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(?:-\S+\s+)*(?:update|makecache|refresh)$")
_ARCHIVE = re.compile(r"\.(?:tar|tgz|tbz2?|txz|tar\.(?:gz|bz2|xz|zst))$", re.IGNORECASE)
_SECRET_FILES = re.compile(
    r"(?:^|/)(?:\.env(?:\.[\w-]+)?|id_(?:rsa|dsa|ecdsa|ed25519)|\.netrc|\.npmrc|\.pypirc|\.git-credentials"
    r"|kaggle\.json|credentials(?:\.json)?|service[-_]?account[\w.-]*\.json|\.htpasswd|\.pgpass"
    r"|[\w.-]+\.(?:pem|key|p12|pfx|jks|keystore)|\.aws(?:/.*)?|\.ssh(?:/.*)?|\.kube(?:/config)?|\.docker/config\.json"
    r"|\.huggingface/token|\.cache/huggingface/token|token)$",
    re.IGNORECASE,
)
_NOT_SECRET_FILES = (".env.example", ".env.sample", ".env.template", ".env.dist", "public.pem", ".pub")


@dataclass(slots=True)
class _Stage:
    name: str
    base: str
    line: int
    user: str | None = None
    user_line: int | None = None
    healthcheck: bool | None = None


@dataclass(slots=True)
class _State:
    emit: Emit
    global_args: dict[str, str] = field(default_factory=dict)
    stages: list[_Stage] = field(default_factory=list)


_KEYWORDS = frozenset(
    {"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
     "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
)  # fmt: skip


def looks_like_dockerfile(instructions: list[Instruction]) -> bool:
    """Docker's own rule: the first instruction is FROM (or ARG); and nearly every keyword is a real one.

    The sniffer's name hint ``dockerfile*`` also matches ``dockerfile.py`` or ``Dockerfile.md``; those are
    not judged as Dockerfiles.
    """
    if not instructions or instructions[0].keyword not in ("FROM", "ARG"):
        return False
    unknown = sum(1 for inst in instructions if inst.keyword not in _KEYWORDS)
    return unknown * 5 <= len(instructions)


def scan_dockerfile(text: str, emit: Emit, *, check: Callable[[], None]) -> Iterator[Finding]:
    """Yield findings for one Dockerfile's text (nothing for text that is not a Dockerfile)."""
    state = _State(emit)
    instructions = parse_dockerfile(text, check=check)
    if not looks_like_dockerfile(instructions):
        return
    for inst in instructions:
        if inst.problem or inst.keyword not in _KEYWORDS or (inst.keyword == "FROM" and not inst.args.split()):
            yield _malformed(inst, state)
        handler = _HANDLERS.get(inst.keyword)
        if handler is not None:
            yield from handler(inst, state)
        if inst.keyword in ("CMD", "ENTRYPOINT", "RUN", "ENV"):
            yield from emit_exposures(inst.script, emit, line=inst.line, where=inst.keyword)
    if state.stages:
        yield from _final_stage(state)


def _malformed(inst: Instruction, state: _State) -> Finding:
    if inst.problem:
        what = inst.problem
    elif inst.keyword == "FROM":
        what = "FROM names no image"
    else:
        what = f"unknown instruction {inst.keyword[:40]!r}: the build stops here"
    return state.emit(
        R.DOCKER_MALFORMED,
        f"{inst.keyword[:40]} at line {inst.line}: {what}",
        line=inst.line,
        key=f"malformed:{inst.line}",
        evidence=inst.args[:120],
    )


def _stage_names(state: _State) -> dict[str, _Stage]:
    return {stage.name.lower(): stage for stage in state.stages if stage.name}


def _from(inst: Instruction, state: _State) -> Iterator[Finding]:
    words = inst.args.split()
    if not words:
        return
    image = substitute(words[0], state.global_args)
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else ""
    known = _stage_names(state)
    state.stages.append(_Stage(name=name, base=image, line=inst.line))
    if image.lower() in known:
        return
    pin = image_pin(image)
    key = f"from:{image.split('@', 1)[0]}"
    if pin in (Pin.LATEST, Pin.UNTAGGED):
        what = "the `latest` tag" if pin is Pin.LATEST else "no tag (so `latest`)"
        yield state.emit(R.DOCKER_LATEST, f"FROM {image} uses {what}", line=inst.line, key=key, evidence=inst.args)
    elif pin is Pin.TAG:
        yield state.emit(R.DOCKER_TAG_ONLY, f"FROM {image} is pinned by tag only", line=inst.line, key=key)


def _arg(inst: Instruction, state: _State) -> Iterator[Finding]:
    for token in _tokens(inst.args):
        name, sep, value = token.partition("=")
        if not state.stages and sep:
            state.global_args[name] = value
        if sep:
            yield from _variable(inst, state, "ARG", name, value)


def _env(inst: Instruction, state: _State) -> Iterator[Finding]:
    tokens = _tokens(inst.args)
    if tokens and "=" not in tokens[0]:  # legacy form: ENV NAME value with spaces
        pairs = [(tokens[0], " ".join(tokens[1:]))]
    else:
        pairs = [(t.partition("=")[0], t.partition("=")[2]) for t in tokens]
    for name, value in pairs:
        yield from _variable(inst, state, "ENV", name, value)


def _variable(inst: Instruction, state: _State, where: str, name: str, value: str) -> Iterator[Finding]:
    hit = find_secret(name, value)
    if hit is not None:
        yield state.emit(
            R.DOCKER_SECRET,
            f"{where} {name} holds a credential ({hit.kind}); it is stored in the image",
            line=inst.line,
            key=hit.digest,
            evidence=f"{name}={hit.masked}",
            confidence=hit.confidence,
        )
    for label in tls_off(f"{name}={value}"):
        yield state.emit(R.DOCKER_TLS_OFF, f"{where} {name}: {label}", line=inst.line, key=f"tls:{label}")


def _tokens(args: str) -> list[str]:
    try:
        return shlex.split(args, posix=True)
    except ValueError:
        return args.split()


def _user(inst: Instruction, state: _State) -> Iterator[Finding]:
    if state.stages:
        state.stages[-1].user = inst.args.strip().split(":", 1)[0].strip()
        state.stages[-1].user_line = inst.line
    return iter(())


def _healthcheck(inst: Instruction, state: _State) -> Iterator[Finding]:
    if state.stages:
        state.stages[-1].healthcheck = inst.args.strip().upper() != "NONE"
    return iter(())


def _expose(inst: Instruction, state: _State) -> Iterator[Finding]:
    for port in inst.args.split():
        if port.split("/", 1)[0] == "22":
            yield state.emit(R.DOCKER_SSH_PORT, "EXPOSE 22 publishes SSH", line=inst.line, key="expose:22")


def _json_words(args: str) -> list[str] | None:
    """COPY/ADD in JSON form (``COPY ["a b", "/dst"]``), or None."""
    if not args.lstrip().startswith("["):
        return None
    try:
        value = json.loads(args)
    except (ValueError, RecursionError):
        return None
    return [str(item) for item in value] if isinstance(value, list) else None


def _sources(inst: Instruction) -> list[str]:
    """The source paths of COPY/ADD (shell or JSON form), without heredoc names."""
    words = list(inst.exec_form) if inst.exec_form is not None else _json_words(inst.args) or _tokens(inst.args)
    return [word for word in words[:-1] if not word.startswith("<<")]


def _add(inst: Instruction, state: _State) -> Iterator[Finding]:
    sources = _sources(inst)
    for source in sources:
        if _URL.match(source) and inst.flag("checksum") is None:
            yield state.emit(
                R.DOCKER_ADD_URL,
                f"ADD downloads {source[:120]} without --checksum",
                line=inst.line,
                key=f"add:{source[:200]}",
            )
    local = [s for s in sources if not _URL.match(s) and not s.startswith("git@") and not _ARCHIVE.search(s)]
    if local and not inst.heredocs:
        yield state.emit(
            R.DOCKER_ADD_LOCAL, f"ADD copies {local[0][:120]}: use COPY", line=inst.line, key=f"add-local:{local[0]}"
        )
    yield from _copy(inst, state)


def _copy(inst: Instruction, state: _State) -> Iterator[Finding]:
    for source in _sources(inst):
        clean = source.rstrip("/")
        if _SECRET_FILES.search(clean) and not clean.lower().endswith(_NOT_SECRET_FILES) and "$" not in clean:
            yield state.emit(
                R.DOCKER_SECRET_FILE,
                f"{inst.keyword} puts the credential file {clean[:120]} into a layer",
                line=inst.line,
                key=f"secret-file:{clean[:200]}",
            )
    yield from _heredoc_secrets(inst, state)


def _heredoc_secrets(inst: Instruction, state: _State) -> Iterator[Finding]:
    for body in inst.heredocs:
        for line in body.splitlines():
            name, sep, value = line.partition("=")
            hit = find_secret(name.strip(), value.strip()) if sep else find_secret("", line)
            if hit is not None:
                yield state.emit(
                    R.DOCKER_SECRET,
                    f"{inst.keyword} heredoc writes a credential ({hit.kind}) into the image",
                    line=inst.line,
                    key=hit.digest,
                    evidence=hit.masked,
                    confidence=hit.confidence,
                )


def _run(inst: Instruction, state: _State) -> Iterator[Finding]:
    script = inst.script
    emit, line = state.emit, inst.line
    for kind, name in shell_risks(script):
        rule = R.DOCKER_PIPE_SHELL if kind == "pipe-to-shell" else R.DOCKER_PIP_UNPINNED
        yield emit(rule, f"RUN: {name}", line=line, key=f"{kind}:{name[:120]}", evidence=script[:160])
    for label in tls_off(script):
        yield emit(R.DOCKER_TLS_OFF, f"RUN: {label}", line=line, key=f"tls:{label}", evidence=script[:160])
    if _CHMOD_777.search(script):
        yield emit(R.DOCKER_CHMOD_777, "RUN makes files world-writable", line=line, key="chmod-777")
    if _SUDO.search(script):
        yield emit(R.DOCKER_SUDO, "RUN uses or installs sudo", line=line, key="sudo")
    for found in _APT_INSTALL.finditer(script):
        if "--no-install-recommends" not in found.group(0):
            yield emit(R.DOCKER_APT_RECOMMENDS, "apt-get install pulls recommended packages", line=line, key="apt")
    if not inst.heredocs and _INDEX_UPDATE.match(" ".join(script.split())):
        yield emit(R.DOCKER_UPDATE_ALONE, f"RUN {script.strip()[:60]} on its own", line=line, key=f"update:{line}")
    yield from _heredoc_secrets(inst, state)
    yield from _run_secrets(inst, state)


def _run_secrets(inst: Instruction, state: _State) -> Iterator[Finding]:
    text = " ".join(inst.exec_form) if inst.exec_form is not None else inst.args
    hit = find_secret("", text)
    if hit is not None:
        yield state.emit(
            R.DOCKER_SECRET,
            f"RUN command contains a credential ({hit.kind}); it is kept in the build history",
            line=inst.line,
            key=hit.digest,
            evidence=hit.masked,
            confidence=hit.confidence,
        )


_Handler = Callable[[Instruction, _State], Iterator[Finding]]
_HANDLERS: dict[str, _Handler] = {
    "FROM": _from,
    "ARG": _arg,
    "ENV": _env,
    "USER": _user,
    "HEALTHCHECK": _healthcheck,
    "EXPOSE": _expose,
    "ADD": _add,
    "COPY": _copy,
    "RUN": _run,
}


def _inherited(stage: _Stage, state: _State, attribute: str) -> tuple[object, _Stage]:
    """The stage's own value of ``attribute``, or the one it inherits from the earlier stage it builds on."""
    seen: set[int] = set()
    known = _stage_names(state)
    while getattr(stage, attribute) is None and stage.base.lower() in known and id(stage) not in seen:
        seen.add(id(stage))
        parent = known[stage.base.lower()]
        if parent is stage:
            break
        stage = parent
    return getattr(stage, attribute), stage


def _final_stage(state: _State) -> Iterator[Finding]:
    final = state.stages[-1]
    user, owner = _inherited(final, state, "user")
    if isinstance(user, str) and user.lower() in _ROOT_USERS:
        yield state.emit(R.DOCKER_ROOT, f"the final stage runs as USER {user}", line=owner.user_line, key="user:root")
    elif user is None and not any(hint in owner.base.lower() for hint in _NONROOT_HINTS):
        yield state.emit(
            R.DOCKER_ROOT,
            f"the final stage (FROM {owner.base}) sets no USER: it runs as the base image's user, root for most images",
            line=final.line,
            key="user:none",
            confidence=0.8,
        )
    healthcheck, _ = _inherited(final, state, "healthcheck")
    if not healthcheck:
        yield state.emit(
            R.DOCKER_NO_HEALTHCHECK,
            "the final stage has no HEALTHCHECK" if healthcheck is None else "HEALTHCHECK NONE disables health checks",
            line=final.line,
            key="healthcheck",
            severity=Severity.LOW,
        )
