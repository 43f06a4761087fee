"""Dependency vulnerabilities: mlwarden's dependency scanner side by side with pip-audit on one requirements set.

    bash benchmarks/setup_deps_peers.sh          # pip-audit in benchmarks/.venv-deps-peers
    .venv/bin/python benchmarks/deps_vs_pip_audit.py

If api.osv.dev answers within 5 s, both tools query OSV online (pip-audit ``-s osv``, mlwarden ``osv: online``).
Otherwise pip-audit uses PyPI's vulnerability data (``-s pypi``) and mlwarden reads, offline, an OSV-format
export built from pip-audit's own answer (one record per advisory: the advisory id, aliases, the audited
version as affected and pip-audit's fix versions as ``fixed`` events). In that mode the comparison checks
requirement parsing, version matching and reporting end to end, not the advisory data, which is the same
by construction; it says so in its output. Agreement is counted on (package, advisory id or alias) pairs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PIP_AUDIT = HERE / ".venv-deps-peers" / "bin" / "pip-audit"

# ~50 real packages at old releases with published advisories (ML stack first).
REQUIREMENTS = """
torch==1.13.0
tensorflow==2.11.0
transformers==4.30.0
tokenizers==0.13.3
numpy==1.21.0
scipy==1.8.0
pandas==1.3.5
scikit-learn==0.24.0
pillow==9.0.0
opencv-python==4.5.5.62
onnx==1.13.0
keras==2.12.0
mlflow==2.3.0
gradio==3.34.0
langchain==0.0.171
llama-index==0.9.10
aiohttp==3.8.4
requests==2.25.0
urllib3==1.26.4
certifi==2022.9.24
cryptography==39.0.0
pyyaml==5.3
jinja2==2.11.2
werkzeug==2.2.2
flask==2.2.0
django==3.2.10
fastapi==0.65.1
starlette==0.25.0
uvicorn==0.11.3
tornado==6.3.2
setuptools==65.5.0
wheel==0.37.1
pip==22.3
lxml==4.6.2
paramiko==2.10.0
pyjwt==2.3.0
sqlalchemy==1.3.0
psycopg2==2.8.6
protobuf==3.20.1
grpcio==1.53.0
idna==3.6
jupyter-server==2.7.1
notebook==6.4.11
nbconvert==6.5.0
ipython==8.0.0
babel==2.9.0
pygments==2.14.0
gitpython==3.1.30
joblib==1.1.0
dask==2021.10.0
""".strip()


def osv_reachable() -> bool:
    body = json.dumps({"package": {"name": "jinja2", "ecosystem": "PyPI"}, "version": "2.11.2"}).encode()
    request = urllib.request.Request("https://api.osv.dev/v1/query", data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except Exception:
        return False


def run_pip_audit(req: Path, service: str) -> tuple[dict[str, list[dict[str, object]]], float]:
    out = req.with_suffix(".pip-audit.json")
    started = time.perf_counter()
    cmd = [str(PIP_AUDIT), "-r", str(req), "--no-deps", "--disable-pip", "-s", service, "-f", "json", "-o", str(out)]
    subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - started
    data = json.loads(out.read_text())
    skipped = [d for d in data["dependencies"] if d.get("skip_reason")]
    if skipped:
        print(f"pip-audit could not audit {len(skipped)} of {len(data['dependencies'])} packages, e.g.: "
              f"{skipped[0]['skip_reason']}")  # fmt: skip
    return {d["name"].lower(): d.get("vulns", []) for d in data["dependencies"] if not d.get("skip_reason")}, elapsed


def fixture_from(audit: dict[str, list[dict[str, object]]], versions: dict[str, str], target: Path) -> int:
    count = 0
    for name, vulns in audit.items():
        for vuln in vulns:
            fixes = [{"fixed": str(v)} for v in vuln.get("fix_versions") or []]  # type: ignore[union-attr]
            record = {
                "id": vuln["id"],
                "aliases": vuln.get("aliases", []),
                "summary": str(vuln.get("description", ""))[:200],
                "affected": [{
                    "package": {"ecosystem": "PyPI", "name": name},
                    "versions": [versions[name]],
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, *fixes]}] if fixes else [],
                }],
            }  # fmt: skip
            (target / f"{vuln['id']}.json").write_text(json.dumps(record))
            count += 1
    return count


def run_mlwarden(req_dir: Path, options: dict[str, object]) -> tuple[set[tuple[str, frozenset[str]]], float]:
    sys.path.insert(0, str(HERE.parent / "src"))
    import mlwarden
    from mlwarden.core.config import Policy

    policy = Policy.model_validate({"scanners": {"enabled": ["dependencies"], "options": {"dependencies": options}}})
    started = time.perf_counter()
    result = mlwarden.scan([req_dir], policy=policy)
    elapsed = time.perf_counter() - started
    found = set()
    for finding in result.findings:
        if finding.rule_id == "MW-DEP-008":
            name, advisory = finding.match_key.split(":", 1)
            found.add((name, frozenset({advisory})))
    warnings = [f.message for f in result.findings if f.rule_id == "MW-DEP-011"]
    if warnings:
        print("mlwarden warning:", warnings[0])
    return found, elapsed


def main() -> None:
    if not PIP_AUDIT.exists():
        sys.exit("run benchmarks/setup_deps_peers.sh first")
    versions = dict(line.split("==") for line in REQUIREMENTS.splitlines())
    versions = {k.lower(): v for k, v in versions.items()}
    online = osv_reachable()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        req = work / "requirements.txt"
        req.write_text(REQUIREMENTS + "\n")
        audit, audit_time = run_pip_audit(req, "osv" if online else "pypi")
        if online:
            mode = "both online against OSV (api.osv.dev)"
            options: dict[str, object] = {"osv": "online", "osv_cache_dir": str(work / "cache")}
        else:
            db = work / "osv"
            db.mkdir()
            records = fixture_from(audit, versions, db)
            mode = (f"api.osv.dev unreachable: pip-audit -s pypi (PyPI JSON API) vs mlwarden offline on an "
                    f"OSV export of {records} records built from pip-audit's answer")  # fmt: skip
            options = {"osv": "offline", "osv_db": str(db)}
        ours, our_time = run_mlwarden(work, options)
    theirs = {(name, frozenset({str(v["id"]), *map(str, v.get("aliases", []))})) for name, vs in audit.items()
              for v in vs}  # fmt: skip
    both = {t for t in theirs if any(o[0] == t[0] and o[1] & t[1] for o in ours)}
    only_ours = {o for o in ours if not any(o[0] == t[0] and o[1] & t[1] for t in theirs)}
    packages_theirs = {n for n, _ in theirs}
    packages_ours = {n for n, _ in ours}
    print(f"mode: {mode}")
    print(f"requirements: {len(versions)} pinned packages")
    print(f"pip-audit: {len(theirs)} advisories in {len(packages_theirs)} packages, {audit_time:.1f} s")
    print(f"mlwarden:  {len(ours)} advisories in {len(packages_ours)} packages, {our_time:.1f} s")
    print(f"advisories: both {len(both)}, only pip-audit {len(theirs) - len(both)}, only mlwarden {len(only_ours)}")
    only_theirs = sorted(packages_theirs - packages_ours)
    only_ours_pkgs = sorted(packages_ours - packages_theirs)
    common = len(packages_theirs & packages_ours)
    print(f"vulnerable packages: both {common}, only pip-audit {only_theirs}, only mlwarden {only_ours_pkgs}")


if __name__ == "__main__":
    os.environ.setdefault("MLWARDEN_OSV", "")
    main()
