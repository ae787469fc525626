"""Data files are validated when loaded; errors name the file and the key path."""
import shutil

import pytest
import yaml
from click.testing import CliRunner

from diagnosis.cli import main
from diagnosis.instruments import DataFileError, Document, load_library
from diagnosis.instruments.loader import DEFAULT_DIR


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "questionnaires"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_every_shipped_file_is_valid():
    lib = load_library()
    assert {"profile", "sme-digital-2024", "cmmm", "zhizao-2024", "upgrades", "targets", "areas", "industries"} <= set(lib.documents)


def test_an_error_names_the_file_and_the_key_path(folder):
    edit(folder / "sme-digital-2024.yaml", lambda d: d["questions"][1]["options"][2].update(points="three"))
    with pytest.raises(DataFileError) as exc:
        load_library(folder)
    assert exc.value.file.endswith("sme-digital-2024.yaml")
    assert exc.value.path == "questions[1].options[2].points"


def test_an_unknown_key_is_an_error(folder):
    edit(folder / "profile.yaml", lambda d: d["sections"][0]["fields"][0].update(lable="typo"))
    with pytest.raises(DataFileError, match=r"sections\[0\]\.fields\[0\]\.lable: unknown key"):
        load_library(folder)


def test_points_that_no_longer_add_up_to_the_dimension_max_are_an_error(folder):
    edit(folder / "sme-digital-2024.yaml", lambda d: d["questions"][4]["options"][4].update(points=9))
    with pytest.raises(DataFileError, match="reach"):
        load_library(folder)


def test_a_trigger_on_an_unknown_fact_is_an_error(folder):
    edit(folder / "upgrades.yaml", lambda d: d["upgrades"][0].update(triggers={"fact": "scene.S99", "below": 3}))
    with pytest.raises(DataFileError, match=r"upgrades\[0\]\.triggers\.fact: unknown fact 'scene.S99'"):
        load_library(folder)


def test_invalid_yaml_names_the_line(folder):
    (folder / "targets.yaml").write_text("key: targets\n  bad: [\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="line"):
        load_library(folder)


def test_the_version_is_the_hash_of_the_content(folder):
    before = load_library(folder)["cmmm"].sha256
    path = folder / "cmmm.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert load_library(folder)["cmmm"].sha256 != before


def test_stored_content_validates_like_the_file():
    doc = load_library()["cmmm"]
    again = Document.from_data(doc.data, doc.sha256)
    assert again.data == doc.data


def test_check_command_reports_every_file_ok():
    result = CliRunner().invoke(main, ["questionnaire", "check"])
    assert result.exit_code == 0, result.output
    assert "ok  questionnaires/cmmm.yaml" in result.output


def test_check_command_names_file_and_key_and_fails(folder):
    edit(folder / "cmmm.yaml", lambda d: d["subdomains"][5]["levels"][2][0].update(id="EQ3.9"))
    result = CliRunner().invoke(main, ["questionnaire", "check", "--dir", str(folder)])
    assert result.exit_code == 1
    assert "cmmm.yaml: subdomains[5].levels.2[0].id" in result.output


def test_export_lists_stages_and_questions_with_id_type_and_options():
    import json
    result = CliRunner().invoke(main, ["questionnaire", "export", "sme-digital-2024"])
    out = json.loads(result.output)
    questions = [q for s in out["stages"] for q in s["questions"]]
    q01 = next(q for q in questions if q["id"] == "Q01")
    assert q01["type"] == "multi" and [o["key"] for o in q01["options"]] == list("ABCDE")
    assert len([q for q in questions if q["id"].startswith("S")]) == 16


def test_list_shows_every_questionnaire_with_its_version():
    result = CliRunner().invoke(main, ["questionnaire", "list"])
    assert "sme-digital-2024" in result.output and "zhizao-2024" in result.output
