"""Rescoring never changes a result in place: it adds a row only where the result changed."""
from conftest import submit_demo

from diagnosis.assessments.models import DiagnosisResult
from diagnosis.assessments.rescoring import rescore_all
from diagnosis.extensions import db


def test_rescoring_with_unchanged_rules_adds_nothing(enterprise_user):
    submit_demo(enterprise_user)
    assert rescore_all() == (1, 0)
    assert db.session.query(DiagnosisResult).count() == 1


def test_rescoring_after_a_rule_change_adds_a_row_and_keeps_the_old_one(app, enterprise_user):
    d = submit_demo(enterprise_user)
    first = d.result
    first_data = dict(first.data)
    lib = app.extensions["questionnaires"]
    upgrades = lib["upgrades"]
    changed = dict(upgrades.data, upgrades=[u for u in upgrades.data["upgrades"] if u["kind"] != "cloud"])
    lib.documents["upgrades"] = type(upgrades)(upgrades.key, upgrades.kind, upgrades.title, changed, "1" * 64, upgrades.source)
    try:
        assert rescore_all() == (1, 1)
    finally:
        lib.documents["upgrades"] = upgrades
    db.session.refresh(d)
    assert [r.id for r in d.results][0] == first.id and len(d.results) == 2
    assert d.results[0].data == first_data
    assert d.result.rules_version == "1" * 64
    assert not any(r["kind"] == "cloud" for r in d.result.data["recommendations"])
    assert d.result.data["sme"] == first_data["sme"]


def test_rescoring_in_two_processes_covers_every_diagnosis_once(app, enterprise_user, other_enterprise_user):
    for _ in range(3):
        submit_demo(enterprise_user)
    submit_demo(other_enterprise_user)
    db.session.query(DiagnosisResult).update({"digest": "stale"})
    db.session.commit()
    assert rescore_all(batch=2, workers=2) == (4, 4)
    assert db.session.query(DiagnosisResult).count() == 8


def test_the_rescore_command_reports_what_it_did(runner, enterprise_user):
    submit_demo(enterprise_user)
    result = runner.invoke(args=["rescore", "--workers", "1"])
    assert result.exit_code == 0 and "rescored 1 diagnoses" in result.output and "0 new results" in result.output
