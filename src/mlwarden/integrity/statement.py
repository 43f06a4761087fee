"""The in-toto statement that is signed: model-signing's v1.0 predicate, plus our optional attestation.

::

    {"_type": "https://in-toto.io/Statement/v1",
     "subject": [{"name": MODEL_NAME, "digest": {"sha256": ROOT_DIGEST}}],
     "predicateType": "https://model_signing/signature/v1.0",
     "predicate": {"serialization": {...}, "resources": [{"name", "algorithm", "digest"}, ...],
                   "mlwarden/scan-summary/v1": {...}}}      <- optional, ours

model-signing's verifier reads only ``serialization`` and ``resources`` and ignores other predicate
fields (its v1.0 predicate says so), so the scan summary rides inside the same signature and a model
signed with it still verifies with model-signing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from mlwarden.integrity.manifest import Manifest, Resource, Serialization, invalid_name_reason
from mlwarden.integrity.mismatch import IntegrityError, Mismatch, MismatchKind

__all__ = ["ATTESTATION_KEY", "PREDICATE_TYPE", "STATEMENT_TYPE", "build_statement", "read_statement"]

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://model_signing/signature/v1.0"
ATTESTATION_KEY = "mlwarden/scan-summary/v1"


def build_statement(manifest: Manifest, attestation: Mapping[str, Any] | None = None) -> bytes:
    """The statement JSON bytes that go into the DSSE payload."""
    predicate: dict[str, Any] = {
        "serialization": manifest.serialization.to_json(),
        "resources": manifest.resources_json(),
    }
    if attestation is not None:
        predicate[ATTESTATION_KEY] = dict(attestation)
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": manifest.model_name, "digest": {"sha256": manifest.root_digest()}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }
    return json.dumps(statement, indent=2, ensure_ascii=False).encode("utf-8")


def _malformed(path: str, detail: str) -> IntegrityError:
    return IntegrityError([Mismatch(MismatchKind.MALFORMED, path, detail)])


def _resources(raw: object, serialization: Serialization, path: str) -> tuple[list[Resource], list[Mismatch]]:
    if not isinstance(raw, list):
        raise _malformed(path, "predicate.resources is not a list")
    resources: list[Resource] = []
    escapes: list[Mismatch] = []
    sharded = serialization.method == "shards"
    names: set[str] = set()
    for item in raw:
        name, digest = (item.get("name"), item.get("digest")) if isinstance(item, dict) else (None, None)
        if not isinstance(name, str) or not isinstance(digest, str):
            raise _malformed(path, "a resource lacks a string name or digest")
        if name in names:
            raise _malformed(path, f"resource {name!r} is listed twice")
        names.add(name)
        try:
            resource = Resource.parse(name, digest.lower(), sharded=sharded)
            bytes.fromhex(digest)
        except ValueError as exc:
            raise _malformed(path, str(exc)) from None
        reason = invalid_name_reason(resource.path)
        if reason is not None:
            escapes.append(Mismatch(MismatchKind.PATH_ESCAPE, name, f"unsafe path in the signed manifest: {reason}"))
        resources.append(resource)
    return resources, escapes


def _check_header(statement: object, path: str) -> dict[str, Any]:
    if not isinstance(statement, dict):
        raise _malformed(path, "the payload is not a JSON object")
    if statement.get("_type") != STATEMENT_TYPE:
        raise _malformed(path, f"not an in-toto v1 statement (_type {statement.get('_type')!r})")
    if statement.get("predicateType") != PREDICATE_TYPE:
        raise _malformed(path, f"unsupported predicateType {statement.get('predicateType')!r}")
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or len(subjects) != 1 or not isinstance(subjects[0], dict):
        raise _malformed(path, "expected exactly one subject")
    if not isinstance(statement.get("predicate"), dict):
        raise _malformed(path, "predicate is not an object")
    return statement


def read_statement(payload: bytes, path: str) -> tuple[Manifest, dict[str, Any] | None]:
    """The signed manifest and attestation; raises ``IntegrityError`` on a malformed or unsafe statement.

    Resource names that would escape the root (``../x``, ``/etc/passwd``) raise before any file is read.
    """
    try:
        statement = _check_header(json.loads(payload), path)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _malformed(path, f"the signed payload is not JSON ({exc})") from None
    predicate = statement["predicate"]
    try:
        serialization = Serialization.from_json(predicate.get("serialization"))
    except ValueError as exc:
        raise _malformed(path, str(exc)) from None
    resources, escapes = _resources(predicate.get("resources"), serialization, path)
    if escapes:
        raise IntegrityError(escapes)
    subject = statement["subject"][0]
    name = subject.get("name") if isinstance(subject.get("name"), str) else ""
    manifest = Manifest(name, serialization, tuple(resources))
    digest = subject.get("digest")
    claimed = digest.get("sha256") if isinstance(digest, dict) else None
    computed = _ordered_root_digest(resources)
    if claimed != computed:
        detail = f"subject digest {claimed!r} does not match the listed resources ({computed})"
        raise IntegrityError([Mismatch(MismatchKind.BAD_SIGNATURE, path, detail)])
    attestation = predicate.get(ATTESTATION_KEY)
    return manifest, attestation if isinstance(attestation, dict) else None


def _ordered_root_digest(resources: list[Resource]) -> str:
    # The subject digest covers the resources in the order the signer listed them (model-signing does the same).
    hasher = hashlib.sha256()
    for resource in resources:
        hasher.update(bytes.fromhex(resource.digest))
    return hasher.hexdigest()
