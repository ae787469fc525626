"""No input gives a server error: ids beyond the integer columns, text the database cannot store,
overlong values and hostile JSON are answered 400/404/413/415 or with a form error naming the field,
on SQLite and PostgreSQL, and nothing is written."""
import json

import pytest
from werkzeug.routing import IntegerConverter
from conftest import PASSWORD, login, submit_demo
from test_accounts import registration

from diagnosis.accounts.models import Enterprise, User
from diagnosis.assessments import services, sharing
from diagnosis.assessments.models import Review, Share
from diagnosis.extensions import db
from diagnosis.ids import MAX_ID, DatabaseIdConverter, database_id
from diagnosis.json_input import MAX_DEPTH

HUGE_IDS = [MAX_ID + 1, 2**63, 2**64 + 1, 10**40]
GOOD_SCORE = {"questionnaire": "sme-digital-2024", "answers": {"Q02": "C"}}


def token_headers(client, user):
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def id_routes(app):
    """(rule, methods) of every route that takes an integer from the URL."""
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def url_with_id(rule, value) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", "profile")
    return path


# --- ids ------------------------------------------------------------------------------------------

def test_every_route_takes_its_integers_through_the_bounded_id_converter(app):
    converters = [c for rule in app.url_map.iter_rules() for c in rule._converters.values()
                  if isinstance(c, IntegerConverter)]
    assert converters and all(isinstance(c, DatabaseIdConverter) for c in converters)


@pytest.mark.parametrize("value", HUGE_IDS)
def test_ids_beyond_the_integer_columns_are_404_on_every_route(app, enterprise_user, provider_user, value):
    submitted = submit_demo(enterprise_user)
    sharing.share_with(submitted, provider_user)
    routes = list(id_routes(app))
    assert len(routes) >= 9
    for user in (enterprise_user, provider_user):
        client = app.test_client()
        login(client, user)
        headers = token_headers(client, user)
        for rule, methods in routes:
            for method in methods:
                response = client.open(url_with_id(rule, value), method=method, headers=headers)
                assert response.status_code == 404, (user.email, method, rule.rule)


@pytest.mark.parametrize("text", ["0", "-1", "1.5", "abc", "١", str(2**31), str(2**63), "9" * 5000, "1\x00", ""])
def test_an_id_from_a_form_is_a_positive_32_bit_integer_or_nothing(text):
    with pytest.raises(ValueError):
        database_id(text)


def test_an_id_from_a_form_in_range_is_read(app):
    assert database_id(" 42 ") == 42 and database_id(str(MAX_ID)) == MAX_ID


@pytest.mark.parametrize("organization_id", [str(2**31), str(2**63), "9" * 40, "-3", "abc", "1\x01"])
def test_sharing_with_an_organization_id_that_names_no_row_asks_to_choose_a_provider(client, enterprise_user,
                                                                                       provider_user, organization_id):
    submitted = submit_demo(enterprise_user)
    login(client, enterprise_user)
    response = client.post(f"/diagnoses/{submitted.id}/share", data={"organization_id": organization_id},
                           follow_redirects=True)
    assert response.status_code == 200 and "请选择已审核通过的服务商" in response.data.decode()
    assert db.session.query(Share).count() == 0


def test_a_stage_level_in_the_query_string_that_is_no_level_is_ignored(client, enterprise_user):
    diagnosis = services.start_diagnosis(enterprise_user, "zhizao-2024")
    services.save_stage(diagnosis, {"profile": {"industry_type": "discrete"}, "answers": {}})
    login(client, enterprise_user)
    for level in [str(2**63), "-5", "abc", "9" * 5000, "0"]:
        response = client.get(f"/diagnoses/{diagnosis.id}/stages/cmmm?level={level}")
        assert response.status_code == 200, level


# --- text the database cannot store ---------------------------------------------------------------

def test_a_nul_in_the_login_email_is_refused_with_400(client, enterprise_user):
    response = client.post("/login", data={"email": enterprise_user.email + "\x00", "password": PASSWORD})
    assert response.status_code == 400


def test_a_nul_in_the_enterprise_name_is_refused_and_nothing_is_registered(client):
    response = client.post("/register", data=registration(enterprise_name="许昌\x00新材料科技有限公司"))
    assert response.status_code == 400
    assert db.session.query(Enterprise).count() == 0 and db.session.query(User).count() == 0


def test_a_nul_in_a_review_is_refused_and_no_review_is_stored(client, enterprise_user, provider_user):
    submitted = submit_demo(enterprise_user)
    sharing.share_with(submitted, provider_user)
    login(client, provider_user)
    response = client.post(f"/provider/diagnoses/{submitted.id}/review", data={"opinion": "建议先做设备联网\x00"})
    assert response.status_code == 400
    assert db.session.query(Review).count() == 0


def test_the_refusal_names_the_field(client):
    response = client.post("/login", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400 and "email" in response.data.decode()


def test_a_nul_in_a_query_parameter_is_refused(client, enterprise_user):
    login(client, enterprise_user)
    assert client.get("/enterprise?x=%00").status_code == 400


def test_a_nul_in_an_api_query_parameter_is_a_json_400_naming_it(client):
    response = client.get("/api/v1/questionnaires?lang=%00")
    assert response.status_code == 400 and "lang" in response.get_json()["error"]["message"]


def test_every_form_post_refuses_a_nul_with_400(app, enterprise_user, provider_user):
    """Whatever the route and field: the check runs once for every request, before any view."""
    submitted = submit_demo(enterprise_user)
    sharing.share_with(submitted, provider_user)
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods and not rule.rule.startswith("/api/")]
    assert len(posts) >= 8
    for user in (None, enterprise_user, provider_user):
        client = app.test_client()
        if user:
            login(client, user)
        for rule in posts:
            url = url_with_id(rule, submitted.id)
            response = client.post(url, data={"email": "x\x00", "opinion": "x\x00", "name\x00": "y"})
            assert response.status_code == 400, (user and user.email, rule.rule)


# --- lengths --------------------------------------------------------------------------------------

def test_an_email_longer_than_its_column_is_a_form_error_and_nothing_is_registered(client):
    email = "a" * 224 + "@example.com"                   # 236 characters: a valid address, too long to store
    response = client.post("/register", data=registration(email=email))
    assert response.status_code == 200 and "邮箱不能超过 200 个字符" in response.data.decode()
    assert db.session.query(User).count() == 0


def test_an_overlong_login_email_is_a_form_error(client):
    response = client.post("/login", data={"email": "a" * 224 + "@example.com", "password": PASSWORD})
    assert response.status_code == 200 and "邮箱不能超过 200 个字符" in response.data.decode()


# --- JSON bodies ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/score", "/api/v1/auth/token"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deeply_nested_json_is_refused_with_400(client, path, depth):
    body = "[" * depth + "]" * depth
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套过深" in response.get_json()["error"]["message"]


def test_nesting_is_measured_inside_the_score_request_too(client):
    nested = {"questionnaire": "sme-digital-2024", "answers": {"Q01": json.loads("[" * 40 + "]" * 40)}}
    response = client.post("/api/v1/score", json=nested)
    assert response.status_code == 400 and response.get_json()["error"]["key"].startswith("answers.Q01")


def test_a_json_body_over_the_api_limit_is_413(client):
    body = json.dumps(dict(GOOD_SCORE, answers={"Q02": "C", "padding": "x" * 300_000}))
    response = client.post("/api/v1/score", data=body, content_type="application/json")
    assert response.status_code == 413 and "error" in response.get_json()


@pytest.mark.parametrize("path", ["/api/v1/score", "/api/v1/auth/token"])
def test_a_body_that_is_not_json_is_415(client, path):
    response = client.post(path, data=json.dumps(GOOD_SCORE), content_type="text/plain")
    assert response.status_code == 415 and response.get_json()["error"]["key"] == "(body)"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1" * 5000])
def test_numbers_json_does_not_have_are_refused(client, literal):
    body = '{"questionnaire": "sme-digital-2024", "profile": {"revenue": %s}}' % literal
    response = client.post("/api/v1/score", data=body, content_type="application/json")
    assert response.status_code == 400


def test_a_nul_in_a_json_string_is_refused_naming_the_key(client, enterprise_user):
    response = client.post("/api/v1/auth/token", json={"email": enterprise_user.email + "\x00", "password": PASSWORD})
    assert response.status_code == 400 and response.get_json()["error"]["key"] == "email"


@pytest.mark.parametrize("path", ["/api/v1/score", "/api/v1/auth/token"])
def test_a_lone_surrogate_in_a_json_string_is_refused_naming_the_key(client, enterprise_user, path):
    body = b'{"email": "\\udbdb@example.com", "password": "x", "questionnaire": "\\ud800"}'
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["key"] in ("email", "questionnaire")


def test_a_surrogate_pair_is_the_character_it_spells(client):
    response = client.post("/api/v1/auth/token", data=b'{"email": "\\ud83d\\ude00@example.com", "password": "x"}',
                           content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("body,key", [
    ({"email": "", "password": "x"}, "email"),
    ({"email": 123, "password": "x"}, "email"),
    ({"email": "a@b.c", "password": ["x"]}, "password"),
    ({"email": "a" * 201, "password": "x"}, "email"),
    ({"email": "a@b.c", "password": "x", "remember": True}, "remember"),
    (["a@b.c", "x"], "(body)"),
])
def test_token_requests_with_fields_of_the_wrong_kind_are_400_naming_the_field(client, body, key):
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 400 and response.get_json()["error"]["key"] == key


def test_the_cli_refuses_deeply_nested_json_like_the_api(tmp_path):
    from click.testing import CliRunner

    from diagnosis.cli import main
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 2 and "嵌套过深" in result.output
