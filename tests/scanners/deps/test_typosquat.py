"""Typosquat candidates: positives by technique, and the legitimate neighbours that must stay quiet."""

from __future__ import annotations

import pytest

from mlwarden.scanners.deps.typosquat import (
    damerau_levenshtein,
    find_squat,
    malicious_entries,
    popular_names,
    skeleton,
)


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("reqeusts", "requests"),
        ("numpyy", "numpy"),
        ("pandsa", "pandas"),
        ("tensorfllow", "tensorflow"),
        ("tranformers", "transformers"),
        ("torchvison", "torchvision"),
        ("matplotlb", "matplotlib"),
        ("scikitlearn", "scikit-learn"),
        ("jeIlyfish", "jellyfish"),
        ("numрy", "numpy"),  # Cyrillic er
        ("tensorf1ow", "tensorflow"),
        ("torch-gpu", "torch"),
        ("python-requests", "requests"),
        ("transformers-dev", "transformers"),
        ("pytorch-nightly", "torch"),
        ("langchian", "langchain"),
    ],
)
def test_squats_are_found(name: str, target: str) -> None:
    squat = find_squat(name)
    assert squat is not None and squat.target == target


@pytest.mark.parametrize(
    "name",
    [
        "scikit_learn", "Scikit-Learn", "requests", "torch", "PyYAML", "pillow", "jinja2", "sklearn", "pytorch",
        "attr", "scipy", "scapy", "numba", "six", "boto", "boto3", "tf-nightly", "keras-nightly", "tensorflow-gpu",
        "opencv-python-headless", "markdown2", "uuid7", "mypy-boto3-sqs", "nvidia-cudnn-cu11", "types-requests",
        "tensorboardx", "pillow-simd", "docker-py",
    ],
)  # fmt: skip
def test_popular_and_legit_neighbours_are_not_squats(name: str) -> None:
    assert find_squat(name) is None


def test_distance_and_skeleton() -> None:
    assert damerau_levenshtein("reqeusts", "requests") == 1
    assert damerau_levenshtein("abc", "abc") == 0
    assert damerau_levenshtein("abcdef", "uvwxyz") == 3  # capped
    assert skeleton("rnatplotlib") == "matplotlib"


def test_data_files_are_consistent() -> None:
    popular = popular_names()
    assert len(popular) > 1500
    assert {"torch", "tensorflow", "transformers", "numpy", "pandas", "scikit-learn", "requests"} <= popular
    malicious = malicious_entries()
    assert "torchtriton" in malicious and malicious["torchtriton"] == frozenset()
    assert malicious["ultralytics"] == {"8.3.41", "8.3.42", "8.3.45", "8.3.46"}
    # a whole-name malicious entry must never be a popular name (only single releases of popular ones)
    assert not [name for name, versions in malicious.items() if not versions and name in popular]
