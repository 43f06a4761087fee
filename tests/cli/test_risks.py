"""``mlwarden risks``: the table, the JSON list and one risk in full."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from mlwarden.cli.risks import all_rules, risks_command
from mlwarden.core.catalog import rules_covering
from mlwarden.core.errors import UsageError


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("risks")(risks_command)

    @app.command("noop")
    def _noop() -> None:
        """Keep the app multi-command, like the real one."""

    return app


def _run(app: typer.Typer, *args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(app, ["risks", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.exception


def test_json_lists_all_37_with_references_and_rules(app: typer.Typer) -> None:
    code, out, exc = _run(app, "--format", "json")
    assert code == 0, exc
    data = json.loads(out)
    assert len(data) == 37
    assert [item["id"] for item in data][:2] == ["DES-01", "DES-02"]
    for item in data:
        assert set(item["references"]) == {"atlas", "owasp_llm_2025", "owasp_ml_2023", "dasf"}
        assert isinstance(item["rules"], list)
    serve01 = next(item for item in data if item["id"] == "SERVE-01")
    assert "AML.T0051" in serve01["references"]["atlas"]
    assert serve01["references"]["owasp_llm_2025"] == ["LLM01"]
    assert serve01["references"]["dasf"] == [{"version": "2.0", "id": "Model Serving — Inference requests 9.1"}]
    rules = all_rules()
    for item in data:
        assert item["rules"] == list(rules_covering(item["id"], rules))


def test_table_lists_every_risk(app: typer.Typer) -> None:
    code, out, exc = _run(app)
    assert code == 0, exc
    for risk_id in ("DES-01", "DATA-10", "MODEL-07", "SERVE-10", "PLAT-07"):
        assert risk_id in out


def test_one_risk_in_full_with_covering_rules(app: typer.Typer) -> None:
    code, out, exc = _run(app, "model-07")
    assert code == 0, exc
    assert "MODEL-07" in out and "Backdoored or trojaned model" in out
    assert "AML.T0018" in out and "DASF 2.0 Model 7.1" in out
    for rule_id in rules_covering("MODEL-07", all_rules()):
        assert rule_id in out


def test_one_risk_as_json(app: typer.Typer) -> None:
    code, out, exc = _run(app, "SERVE-01", "--format", "json")
    assert code == 0, exc
    item = json.loads(out)
    assert item["id"] == "SERVE-01" and item["stage"] == "serving"


def test_unknown_id_exits_non_zero_with_close_ids(app: typer.Typer) -> None:
    code, _, exc = _run(app, "SERVE-99")
    assert code != 0
    assert isinstance(exc, UsageError)
    assert "SERVE-" in exc.hint and "mlwarden risks" in exc.hint


def test_unknown_format_is_a_usage_error(app: typer.Typer) -> None:
    code, _, exc = _run(app, "--format", "xml")
    assert code != 0
    assert isinstance(exc, UsageError)


def test_a_rule_id_shows_the_rule_as_docs_platform_md_says(app: typer.Typer) -> None:
    code, out, _ = _run(app, "MW-K8S-001")
    assert code == 0
    assert "Privileged container" in out and "Remediation" in out and "SERVE-03" in out
    code, out, _ = _run(app, "mw-pickle-001", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "MW-PICKLE-001" and data["severity"] == "critical" and "MODEL-07" in data["risks"]
