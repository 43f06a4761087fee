#!/usr/bin/env bash
# Creates benchmarks/.venv-peers: a separate environment holding the peer scanners that the
# benchmarks compare mlwarden with, plus the real ML libraries that write the benign corpus.
# None of this is a runtime dependency of mlwarden; the project's own venv is never touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${here}/.venv-peers"
python="${PYTHON:-python3.11}"

if [[ ! -x "${venv}/bin/python" ]]; then
  "${python}" -m venv "${venv}"
fi
"${venv}/bin/python" -m pip install --quiet --upgrade pip

# Peers, pinned to the newest releases that install on Python 3.11.
# Their optional extras are the ones that widen what they scan (py7zr for 7z archives).
"${venv}/bin/python" -m pip install --quiet \
  "picklescan[7z]==1.0.5" \
  "fickling==0.1.12"

# modelscan gets its own environment nested inside the peers' one: its NumPy reader calls
# numpy.lib.format._check_version, which NumPy 2 removed, and its Keras scanners need TensorFlow.
# With numpy<2 and its documented [tensorflow,h5py] extras it scans everything it claims to.
ms_venv="${venv}/modelscan"
if [[ ! -x "${ms_venv}/bin/python" ]]; then
  "${python}" -m venv "${ms_venv}"
fi
"${ms_venv}/bin/python" -m pip install --quiet --upgrade pip
"${ms_venv}/bin/python" -m pip install --quiet \
  "modelscan[h5py,tensorflow]==0.8.8" \
  "tensorflow==2.18.1" \
  "numpy>=1.26,<2"

# Libraries that write the benign half of the corpus and the speed-test inputs.
# torch is pinned exactly: the CPU wheel of this version is available locally; any other downloads GBs.
"${venv}/bin/python" -m pip install --quiet \
  "torch==2.13.0" \
  "numpy>=1.26,<3" \
  "scikit-learn>=1.4,<2" \
  "pandas>=2,<4" \
  "joblib>=1.3,<2" \
  "onnx>=1.15,<2" \
  "safetensors>=0.4,<1" \
  "h5py>=3.10,<4" \
  "psutil>=5.9,<8"

"${venv}/bin/python" - <<'PY'
from importlib.metadata import version
for name in ("picklescan", "fickling", "torch", "numpy", "scikit-learn",
             "pandas", "joblib", "onnx", "safetensors", "h5py", "py7zr"):
    print(f"{name}=={version(name)}")
PY
"${ms_venv}/bin/python" - <<'PY'
from importlib.metadata import version
for name in ("modelscan", "tensorflow", "numpy", "h5py"):
    print(f"modelscan env: {name}=={version(name)}")
PY
