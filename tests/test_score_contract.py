"""`diagnosis score FILE` and POST /api/v1/score: one contract, the same messages on bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from diagnosis.cli import main

GOOD = {"questionnaire": "sme-digital-2024", "profile": {"equipment_total": 10},
        "answers": {"Q01": ["B", "D"], "Q02": "C", "S01": 2}}
BAD = [
    ({"questionnaire": "sme-digital-2024", "answers": {"Q77": "A"}}, "answers.Q77"),
    ({"questionnaire": "sme-digital-2024", "answers": {"Q02": "Z"}}, "answers.Q02"),
    ({"questionnaire": "sme-digital-2024", "answers": {"Q01": ["A", "C"]}}, "answers.Q01"),
    ({"questionnaire": "sme-digital-2024", "answers": {"S03": 9}}, "answers.S03"),
    ({"questionnaire": "sme-digital-2024", "profile": {"equipment_total": -1}}, "profile.equipment_total"),
    ({"questionnaire": "nope"}, "questionnaire"),
    ({"questionnaire": "sme-digital-2024", "industry": "99"}, "industry"),
    ({"questionnaire": "sme-digital-2024", "answers": {"explain.no-such-check": "说明"}}, "answers.explain.no-such-check"),
]


def run_cli(tmp_path, payload, raw=None):
    from click.testing import CliRunner
    path = tmp_path / "answers.json"
    path.write_text(raw if raw is not None else json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return CliRunner().invoke(main, ["score", str(path)])


def test_cli_score_prints_total_grade_dimensions_and_scenes(tmp_path):
    result = run_cli(tmp_path, GOOD)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["total"] == 4 + 3 and out["grade"] == 0 and out["grade_rule"]["key"] == "points-2022"
    assert set(out["dimensions"]) == {"数字化基础", "数字化管理", "数字化成效"}
    assert out["scenes"]["S01"]["level"] == 2


@pytest.mark.parametrize("payload,key", BAD)
def test_cli_rejects_bad_input_with_status_2_naming_the_key(tmp_path, payload, key):
    result = run_cli(tmp_path, payload)
    assert result.exit_code == 2
    assert f"{key}:" in result.output


def test_cli_rejects_a_file_that_is_not_json(tmp_path):
    result = run_cli(tmp_path, None, raw="{not json")
    assert result.exit_code == 2 and "JSON" in result.output


def test_console_script_runs_as_a_real_process(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    exe = Path(sys.executable).with_name("diagnosis")
    done = subprocess.run([str(exe), "score", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 7


def test_api_score_returns_the_same_result_as_the_cli(client, tmp_path):
    response = client.post("/api/v1/score", json=GOOD)
    assert response.status_code == 200
    assert response.get_json() == json.loads(run_cli(tmp_path, GOOD).output)


@pytest.mark.parametrize("payload,key", BAD)
def test_api_rejects_bad_input_with_400_and_the_cli_message(client, tmp_path, payload, key):
    response = client.post("/api/v1/score", json=payload)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["key"] == key
    assert error["message"] in run_cli(tmp_path, payload).output


def test_api_rejects_a_body_that_is_not_json(client):
    response = client.post("/api/v1/score", data="{oops", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.get_json()["error"]["message"]


def test_scoring_engine_does_not_import_flask():
    code = "import sys, diagnosis.scoring, diagnosis.instruments; print('flask' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
