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
    assert {"profile", "sme-digital-2024", "cmmm", "zhizao-2024", "upgrades", "targets", "areas", "industries",
            "policies"} <= set(lib.documents)


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


def test_a_report_row_naming_a_renamed_profile_field_fails_the_check(folder):
    edit(folder / "targets.yaml", lambda d: d["report_rows"][3].update(field="robot_count"))
    with pytest.raises(DataFileError, match=r"targets.yaml: report_rows\[3\]\.field: 'robot_count' is not a field"):
        load_library(folder)


def test_an_upgrade_for_an_unknown_industry_is_an_error(folder):
    edit(folder / "upgrades.yaml", lambda d: d["upgrades"][0].update(industries=["99"]))
    with pytest.raises(DataFileError, match=r"upgrades\[0\]\.industries\[0\]: '99' is not a division"):
        load_library(folder)


def test_an_upgrade_kind_without_a_label_is_an_error(folder):
    edit(folder / "upgrades.yaml", lambda d: d["kinds"].pop("robot"))
    with pytest.raises(DataFileError, match=r"upgrades\[\d+\]\.kind: 'robot' is not one of"):
        load_library(folder)


def test_a_system_stage_for_an_unknown_scene_is_an_error(folder):
    def change(d):
        next(u for u in d["upgrades"] if u["id"] == "mes")["system"]["scenes"] = ["S99"]
    edit(folder / "upgrades.yaml", change)
    with pytest.raises(DataFileError, match=r"system\.scenes\[0\]: 'S99' is not a scene"):
        load_library(folder)


def test_an_estimate_scaling_with_an_unknown_quantity_is_an_error(folder):
    edit(folder / "upgrades.yaml", lambda d: d["upgrades"][0]["estimate"]["investment"].update(quantity="machines"))
    with pytest.raises(DataFileError, match=r"upgrades\[0\]\.estimate\.investment\.quantity: 'machines' is not one of"):
        load_library(folder)


def test_a_next_step_of_a_system_in_use_without_its_own_estimate_is_an_error(folder):
    def change(d):
        del next(u for u in d["upgrades"] if u["id"] == "crm")["system"]["next"][2]["estimate"]
    edit(folder / "upgrades.yaml", change)
    with pytest.raises(DataFileError, match=r"upgrades\.yaml.*system\.next\.2\.estimate: is missing"):
        load_library(folder)


def test_an_empty_choice_text_on_a_row_that_is_not_a_choice_is_an_error(folder):
    edit(folder / "targets.yaml", lambda d: d["report_rows"][0].update(none="没有"))
    with pytest.raises(DataFileError, match=r"targets\.yaml.*report_rows\[0\]\.none: only a counted_if_any row"):
        load_library(folder)


def test_a_policy_text_with_an_unknown_placeholder_is_an_error(folder):
    edit(folder / "policies.yaml", lambda d: d["policies"][0]["outcomes"][0].update(text="等级为{grade}"))
    with pytest.raises(DataFileError, match=r"policies\[0\]\.outcomes\[0\]\.text: unknown placeholder \{grade\}"):
        load_library(folder)


def test_a_policy_without_its_source_is_an_error(folder):
    edit(folder / "policies.yaml", lambda d: d["policies"][0]["source"].pop("date"))
    with pytest.raises(DataFileError, match=r"policies\[0\]\.source\.date: is missing"):
        load_library(folder)


def test_a_figure_taken_from_an_unknown_profile_field_is_an_error(folder):
    edit(folder / "sme-digital-2024.yaml",
         lambda d: next(q for q in d["questions"] if q["id"] == "Q14")["collects"][0].update(from_profile="turnover"))
    with pytest.raises(DataFileError, match=r"collects\[0\]\.from_profile: 'turnover' is not a numeric field"):
        load_library(folder)


def test_an_implied_option_from_a_figure_not_collected_is_an_error(folder):
    edit(folder / "sme-digital-2024.yaml",
         lambda d: next(q for q in d["questions"] if q["id"] == "Q11")["implied"].update(numerator="Q11.total"))
    with pytest.raises(DataFileError, match=r"implied\.numerator: 'Q11.total' is not a figure this file collects"):
        load_library(folder)


def test_a_plan_without_its_validity_is_an_error(folder):
    edit(folder / "targets.yaml", lambda d: d["plan"].update(valid_to="2022-13-31"))
    with pytest.raises(DataFileError, match=r"plan\.valid_to: must be a date"):
        load_library(folder)
