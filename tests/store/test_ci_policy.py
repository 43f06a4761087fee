"""The PostgreSQL half of the suite fails in CI when the server was not started, and skips (with why) elsewhere."""

from __future__ import annotations

import pytest
from tests.store.helpers import POSTGRES_ENV, postgres_base_url


def test_missing_server_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(POSTGRES_ENV, raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not set in CI"):
        postgres_base_url()


def test_missing_server_skips_with_the_reason_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(POSTGRES_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"services\.sh start"):
        postgres_base_url()


def test_the_url_is_used_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POSTGRES_ENV, "postgresql+psycopg://u@127.0.0.1:1/x")
    assert postgres_base_url() == "postgresql+psycopg://u@127.0.0.1:1/x"
