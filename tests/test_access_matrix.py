"""The access matrix: every route of the URL map × every role, over real objects of each kind.

Each entry of ``MATRIX`` is one (endpoint, method) of ``app.url_map`` with the answer each role
must get, for each kind of object when the route takes one: the owner's draft, the owner's
submitted diagnosis (shared with one provider, reviewed, its report stored) and an id that does not
exist. A route without an entry fails ``test_every_route_has_an_entry_in_the_matrix``: adding a
route means adding one entry here.

Answers: a status code, ``ALLOWED`` (the request reached the view: not 401/403/404, not a server
error, not sent to log in; used where the exact answer is the view's business, e.g. a form post
that redirects or shows errors) and ``LOGIN`` (sent to the login page to log in first). Whatever a role may not
see answers exactly like an id that does not exist.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Callable

import pytest
from conftest import BACKENDS, PASSWORD, VALID_CODES, _reset
from flask import url_for

from diagnosis import create_app
from diagnosis.accounts.models import ProviderOrganization, Role
from diagnosis.accounts.services import Registration, create_user, register_enterprise
from diagnosis.extensions import db
from diagnosis.reference.models import Area
from diagnosis.reference.services import load_reference_data

ANONYMOUS, OWNER, OTHER_ENTERPRISE = "anonymous", "owner", "other_enterprise"
PROVIDER_SHARED, PROVIDER_UNSHARED = "provider_shared", "provider_unshared"
PROVIDER_UNAPPROVED, PROVIDER_REVOKED = "provider_unapproved_org", "provider_revoked_share"
BUREAU_IN, BUREAU_OUT, CITY_BUREAU, ADMIN = "bureau_in_scope", "bureau_out_of_scope", "city_bureau", "admin"
ROLES = (ANONYMOUS, OWNER, OTHER_ENTERPRISE, PROVIDER_SHARED, PROVIDER_UNSHARED, PROVIDER_UNAPPROVED,
         PROVIDER_REVOKED, BUREAU_IN, BUREAU_OUT, CITY_BUREAU, ADMIN)
ENTERPRISES = {OWNER, OTHER_ENTERPRISE}
PROVIDERS = {PROVIDER_SHARED, PROVIDER_UNSHARED, PROVIDER_UNAPPROVED, PROVIDER_REVOKED}
DECIDERS = {CITY_BUREAU, ADMIN}                 # approve provider organizations
BUREAUS = {BUREAU_IN, BUREAU_OUT, CITY_BUREAU, ADMIN}

DRAFT, SUBMITTED, MISSING = "draft", "submitted", "missing"
OBJECTS = (MISSING, DRAFT, SUBMITTED)          # missing first: hidden objects are compared with it
# Who may see each kind of object (diagnosis/access.py).
SEES = {DRAFT: {OWNER}, SUBMITTED: {OWNER, PROVIDER_SHARED, BUREAU_IN, CITY_BUREAU, ADMIN}, MISSING: set()}

ALLOWED, LOGIN = "allowed", "login"

Expect = Callable[[str, str | None], "int | str"]


@dataclass(frozen=True)
class Entry:
    endpoint: str
    method: str
    expect: Expect                              # (role, object kind or None) -> answer
    objects: tuple = (None,)
    data: dict | None = None                    # form fields
    json: object = None                         # JSON body (API)
    api: bool = False                           # authenticates with a bearer token, not the session
    fresh_token: bool = False                   # uses up its token: give it one of its own
    ends_session: bool = False                  # logs the role out: log in again after it
    params: dict = field(default_factory=dict)  # URL parameters besides diagnosis_id


# Expectations, by who may use a route.
def public(anonymous=200, signed_in: int | str = ALLOWED) -> Expect:
    return lambda role, obj: anonymous if role == ANONYMOUS else signed_in


def signed_in(answer=ALLOWED) -> Expect:
    return lambda role, obj: LOGIN if role == ANONYMOUS else answer


def area(roles: set, answer=200) -> Expect:
    """A role's own area: others get 404, as if it did not exist."""
    return lambda role, obj: LOGIN if role == ANONYMOUS else (answer if role in roles else 404)


def owner_only(answers: dict) -> Expect:
    """The owning enterprise's pages about its diagnosis (answers by object kind)."""
    return lambda role, obj: LOGIN if role == ANONYMOUS else (answers.get(obj, 404) if role == OWNER else 404)


def viewers(answers: dict, anonymous=LOGIN) -> Expect:
    """Whoever may see the object (SEES) gets ``answers[kind]``; everyone else 404."""
    return lambda role, obj: anonymous if role == ANONYMOUS else (answers[obj] if role in SEES[obj] else 404)


def api_public(answer=200) -> Expect:
    return lambda role, obj: answer


def api_signed_in(answer=200) -> Expect:
    return lambda role, obj: 401 if role == ANONYMOUS else answer


DIAGNOSES = (MISSING, DRAFT, SUBMITTED)
EDIT = owner_only({DRAFT: ALLOWED, SUBMITTED: ALLOWED})     # a submitted one redirects to its result

MATRIX: list[Entry] = [
    Entry("static", "GET", public(200, 200), params={"filename": "app.css"}),
    Entry("home.index", "GET", public(200, ALLOWED)),
    Entry("auth.login", "GET", public(200, ALLOWED)),
    Entry("auth.login", "POST", public(200, ALLOWED), data={"email": "nobody@example.com", "password": "wrong-pass-1"}),
    Entry("auth.register", "GET", public(200, ALLOWED)),
    Entry("auth.register", "POST", public(200, ALLOWED), data={"email": "x@example.com"}),
    Entry("auth.forgot_password", "GET", public(200, ALLOWED)),
    Entry("auth.forgot_password", "POST", public(200, ALLOWED), data={"email": "nobody@example.com"}),
    Entry("auth.reset_password", "GET", lambda role, obj: 404, params={"token": "not-a-token"}),
    Entry("auth.reset_password", "POST", lambda role, obj: 404, params={"token": "not-a-token"}),
    Entry("account.password", "GET", signed_in(200)),
    Entry("account.password", "POST", signed_in(200), data={"current_password": "wrong"}),
    Entry("account.profile", "GET", area(ENTERPRISES)),
    Entry("account.profile", "POST", area(ENTERPRISES, 200), data={"contact_name": ""}),
    Entry("enterprise.home", "GET", area(ENTERPRISES)),
    Entry("enterprise.new", "POST", area(ENTERPRISES, ALLOWED), data={"questionnaire": "zhizao-2024"}),
    Entry("enterprise.resume", "GET", EDIT, DIAGNOSES),
    Entry("enterprise.stage", "GET", EDIT, DIAGNOSES, params={"stage_key": "profile"}),
    Entry("enterprise.stage", "POST", EDIT, DIAGNOSES, data={"action": "save"}, params={"stage_key": "profile"}),
    Entry("enterprise.delete", "GET", owner_only({DRAFT: 200, SUBMITTED: ALLOWED}), DIAGNOSES),
    Entry("enterprise.delete", "POST", EDIT, DIAGNOSES),            # without the confirm button: asks first
    Entry("enterprise.confirm", "GET", EDIT, DIAGNOSES),
    Entry("enterprise.confirm", "POST", EDIT, DIAGNOSES),           # the draft is incomplete: not submitted
    Entry("enterprise.result", "GET", viewers({DRAFT: ALLOWED, SUBMITTED: 200}), DIAGNOSES),
    Entry("enterprise.share", "POST", owner_only({SUBMITTED: ALLOWED}), DIAGNOSES, data={"organization_id": "SHARED"}),
    # Each post that flashes is followed by a page without objects, which shows the message (a
    # missing id's 404 must not be the page that shows it).
    Entry("provider.home", "GET", area(PROVIDERS)),
    # The revoked provider's share (revoking it again changes nothing the other roles rely on).
    Entry("enterprise.revoke_share", "POST", owner_only({SUBMITTED: ALLOWED}), DIAGNOSES,
          params={"share_id": "REVOKED SHARE"}),
    Entry("provider.directory", "GET", area(ENTERPRISES)),
    Entry("enterprise.revise", "POST", owner_only({SUBMITTED: ALLOWED}), DIAGNOSES),
    Entry("notifications.index", "GET", signed_in(200)),
    Entry("provider.review", "GET",
          lambda role, obj: LOGIN if role == ANONYMOUS else (200 if role == PROVIDER_SHARED and obj == SUBMITTED else 404),
          DIAGNOSES),
    Entry("provider.review", "POST",
          lambda role, obj: LOGIN if role == ANONYMOUS else (ALLOWED if role == PROVIDER_SHARED and obj == SUBMITTED else 404),
          DIAGNOSES, data={"opinion": "访问矩阵测试：建议先做设备联网。", "action": "draft"}),
    Entry("provider.register", "GET", public(200, ALLOWED)),
    Entry("provider.register", "POST", public(400, ALLOWED), data={"organization_name": "矩阵"}),
    Entry("provider.organizations", "GET", area(DECIDERS)),
    # A pending organization of its own: rejecting it again changes nothing the other roles rely on.
    Entry("provider.decide", "POST", area(DECIDERS, ALLOWED), data={"decision": "reject"},
          params={"organization_id": "EXTRA ORGANIZATION"}),
    Entry("notifications.read", "POST", signed_in(ALLOWED)),
    Entry("bureau.home", "GET", area(BUREAUS)),
    Entry("bureau.enterprises", "GET", area(BUREAUS)),
    Entry("bureau.history", "GET", area({BUREAU_IN, CITY_BUREAU, ADMIN}), params={"enterprise_id": 1}),
    Entry("bureau.levels", "GET", area(BUREAUS)),
    Entry("bureau.export", "GET", area(BUREAUS), params={"table": "todo", "fmt": "xlsx"}),
    Entry("bureau.roster", "GET", area({CITY_BUREAU, ADMIN})),
    Entry("bureau.roster", "POST", area({CITY_BUREAU, ADMIN}, 400)),         # no file chosen
    Entry("bureau.roster_template", "GET", area({CITY_BUREAU, ADMIN})),
    Entry("reports.download", "GET", viewers({DRAFT: 409, SUBMITTED: 200}), DIAGNOSES),
    Entry("reports.status", "GET", viewers({DRAFT: 200, SUBMITTED: 200}), DIAGNOSES),
    # The submitted diagnosis's stored report: not found under another diagnosis's id.
    Entry("reports.stored", "GET", viewers({DRAFT: 404, SUBMITTED: 200}), DIAGNOSES,
          params={"report_id": "STORED REPORT"}),
    Entry("api.token", "POST", api_signed_in(200), api=True, json="OWN CREDENTIALS"),
    Entry("api.revoke", "DELETE", api_signed_in(204), api=True, fresh_token=True),
    Entry("api.questionnaires", "GET", api_public(), api=True),
    Entry("api.questionnaire", "GET", api_public(), api=True, params={"key": "zhizao-2024"}),
    Entry("api.score", "POST", api_public(), api=True, json="DEMO PAYLOAD"),
    Entry("api.openapi", "GET", api_public(), api=True),
    Entry("api.diagnoses", "GET", api_signed_in(), api=True),
    Entry("api.coverage", "GET", lambda role, obj: 401 if role == ANONYMOUS else (200 if role in BUREAUS else 404),
          api=True),
    Entry("api.diagnosis", "GET", viewers({DRAFT: 200, SUBMITTED: 200}, anonymous=401), DIAGNOSES, api=True),
    Entry("api.report", "GET", viewers({DRAFT: 409, SUBMITTED: 200}, anonymous=401), DIAGNOSES, api=True),
    Entry("api.create_shares", "POST", lambda role, obj: 401 if role == ANONYMOUS else (
        (201 if obj == SUBMITTED else 409) if role == OWNER and obj != MISSING else 404),
        DIAGNOSES, api=True, json={"organization_ids": "SHARED ORGANIZATION"}),
    Entry("api.delete_share", "DELETE", lambda role, obj: 401 if role == ANONYMOUS else (
        204 if role == OWNER and obj == SUBMITTED else 404), DIAGNOSES, api=True,
        params={"share_id": "REVOKED SHARE"}),
    Entry("api.provider_queue", "GET", lambda role, obj: 401 if role == ANONYMOUS else (200 if role in PROVIDERS else 404),
          api=True),
    Entry("api.reviews_of", "POST", lambda role, obj: 401 if role == ANONYMOUS else (
        201 if role == PROVIDER_SHARED and obj == SUBMITTED else 404), DIAGNOSES, api=True,
        json={"action": "draft", "opinion": "访问矩阵测试：草稿。"}),
    Entry("api.reviews_of", "GET", viewers({DRAFT: 200, SUBMITTED: 200}, anonymous=401), DIAGNOSES, api=True),
    # The admin console. Admin runs last: its writes on the owner (user 1) come after every other role;
    # placed last so the messages its redirects flash are not shown on a page compared above.
    Entry("admin.users", "GET", area({ADMIN})),
    Entry("admin.create_user", "POST", area({ADMIN}, 302), data={"email": "", "role": "provider"}),   # refused: no email
    Entry("admin.rounds", "GET", area({ADMIN})),
    Entry("admin.rounds", "POST", area({ADMIN}, 302), data={"name": "矩阵测试轮次", "starts_on": "2026-01-01",
                                                             "ends_on": "2026-12-31"}),
    Entry("admin.change_role", "POST", area({ADMIN}, 302), data={"role": "provider"}, params={"user_id": 1}),  # refused
    Entry("admin.reset_password", "POST", area({ADMIN}, 302), data={"password": "x"}, params={"user_id": 1}),  # too short
    Entry("admin.set_active", "POST", area({ADMIN}, 302), data={"active": "1"}, params={"user_id": 1}),
    Entry("auth.logout", "POST", signed_in(ALLOWED), ends_session=True),
]

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def route_keys(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - IGNORED_METHODS}


def test_every_route_has_an_entry_in_the_matrix():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    entries = [(e.endpoint, e.method) for e in MATRIX]
    assert len(entries) == len(set(entries)), "one entry per route and method"
    routes = route_keys(app)
    assert sorted(routes - set(entries)) == [], "routes without an entry in the access matrix"
    assert sorted(set(entries) - routes) == [], "entries for routes that no longer exist"


# The world the matrix runs in: built once per database backend through the application's services.

@dataclass
class World:
    app: object
    users: dict[str, tuple[str, int]]           # role -> (email, user id)
    ids: dict[str, int]                          # object kind -> diagnosis id; "REVOKED SHARE" etc.
    demo_payload: dict


def _area(code: str) -> Area:
    return db.session.query(Area).filter_by(code=code).one()


def _enterprise(name, code, email, area_code):
    return register_enterprise(Registration(
        enterprise_name=name, credit_code=code, area_id=_area(area_code).id, industry_code="34", above_scale=True,
        contact_name="张三", contact_phone="13800000000", email=email, password=PASSWORD))


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    from diagnosis import catalog
    from diagnosis.assessments import reviews, services, sharing
    from diagnosis.demo import demo_payload
    from diagnosis.reports.web.storage import render_and_store

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'matrix.sqlite'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "matrix-secret", "REDIS_URL": None},
                     instance_path=str(tmp_path_factory.mktemp("matrix-instance")))
    with app.app_context():
        _reset(url)
        db.create_all()
        load_reference_data(app.extensions["questionnaires"])
        owner = _enterprise("许昌矩阵装备制造有限公司", VALID_CODES[0], "owner@example.com", "jingkai")
        other = _enterprise("长葛矩阵另一家有限公司", VALID_CODES[1], "other@example.com", "changge")
        users = {OWNER: owner, OTHER_ENTERPRISE: other,
                 PROVIDER_SHARED: create_user("shared@example.com", PASSWORD, Role.PROVIDER, organization="已分享服务商"),
                 PROVIDER_UNSHARED: create_user("unshared@example.com", PASSWORD, Role.PROVIDER, organization="未分享服务商"),
                 PROVIDER_UNAPPROVED: create_user("unapproved@example.com", PASSWORD, Role.PROVIDER,
                                                  organization="待审核服务商"),
                 PROVIDER_REVOKED: create_user("revoked@example.com", PASSWORD, Role.PROVIDER,
                                               organization="已撤销服务商"),
                 BUREAU_IN: create_user("jingkai@example.com", PASSWORD, Role.BUREAU, area=_area("jingkai")),
                 BUREAU_OUT: create_user("changge@example.com", PASSWORD, Role.BUREAU, area=_area("changge")),
                 CITY_BUREAU: create_user("city@example.com", PASSWORD, Role.BUREAU),
                 ADMIN: create_user("admin@example.com", PASSWORD, Role.ADMIN)}
        payload = demo_payload(catalog.library(), "zhizao-2024")
        submitted = services.start_diagnosis(owner)
        services.save_stage(submitted, {"profile": payload["profile"], "answers": payload["answers"]})
        services.submit(submitted)
        sharing.share_with(submitted, users[PROVIDER_SHARED])
        sharing.share_with(submitted, users[PROVIDER_UNAPPROVED])       # shared, then its approval withdrawn
        users[PROVIDER_UNAPPROVED].provider_organization.status = "pending"
        revoked = sharing.share_with(submitted, users[PROVIDER_REVOKED])
        sharing.revoke(revoked, owner)
        extra = ProviderOrganization(name="矩阵待审核服务商", status="pending")
        db.session.add(extra)
        db.session.commit()
        reviews.add_review(submitted, users[PROVIDER_SHARED], "经现场核查，建议优先推进设备联网。")
        saved = os.environ.get("REPORT_PARALLEL")
        os.environ["REPORT_PARALLEL"] = "0"        # one render, in this process; then served from storage
        try:
            stored = render_and_store(submitted)
        finally:
            os.environ.pop("REPORT_PARALLEL") if saved is None else os.environ.__setitem__("REPORT_PARALLEL", saved)
        draft = services.start_diagnosis(owner)
        ids = {SUBMITTED: submitted.id, DRAFT: draft.id, MISSING: draft.id + 1000, "REVOKED SHARE": revoked.id,
               "EXTRA ORGANIZATION": extra.id,
               "SHARED ORGANIZATION": users[PROVIDER_SHARED].provider_organization_id, "STORED REPORT": stored.id}
        world = World(app, {role: (u.email, u.id) for role, u in users.items()}, ids, payload)
        db.session.remove()
    yield world
    with app.app_context():
        _reset(url)
        db.drop_all()
        db.engine.dispose()


class Caller:
    """One role's browser session and API token."""

    def __init__(self, world: World, role: str):
        self.world, self.role = world, role
        self.client = world.app.test_client()
        self.token = None
        if role != ANONYMOUS:
            self.sign_in()

    @property
    def email(self) -> str:
        return self.world.users[self.role][0]

    def sign_in(self):
        response = self.client.post("/login", data={"email": self.email, "password": PASSWORD})
        assert response.status_code == 302, f"{self.role} cannot log in"
        self.token = self.new_token()

    def new_token(self) -> str:
        response = self.world.app.test_client().post("/api/v1/auth/token",
                                                     json={"email": self.email, "password": PASSWORD})
        assert response.status_code == 200
        return response.get_json()["token"]

    def request(self, entry: Entry, obj: str | None):
        params = {k: self.world.ids.get(v, v) for k, v in entry.params.items()}
        if obj is not None:
            params["diagnosis_id"] = self.world.ids[obj]
        with self.world.app.test_request_context():
            url = url_for(entry.endpoint, **params)
        kwargs = {}
        if entry.data is not None:
            shared_org = self.world.ids["SHARED ORGANIZATION"]
            kwargs["data"] = {k: (str(shared_org) if v == "SHARED" else v) for k, v in entry.data.items()}
        if entry.json == "OWN CREDENTIALS":
            kwargs["json"] = {"email": self.email if self.role != ANONYMOUS else "nobody@example.com",
                              "password": PASSWORD if self.role != ANONYMOUS else "wrong-pass-1"}
        elif entry.json == "DEMO PAYLOAD":
            kwargs["json"] = self.world.demo_payload
        elif entry.json is not None:
            kwargs["json"] = {k: ([self.world.ids[v]] if v == "SHARED ORGANIZATION" else v) for k, v in entry.json.items()}
        if entry.api and self.role != ANONYMOUS:
            token = self.new_token() if entry.fresh_token else self.token
            kwargs["headers"] = {"Authorization": f"Bearer {token}"}
        client = self.world.app.test_client() if entry.api else self.client
        response = client.open(url, method=entry.method, **kwargs)
        if entry.ends_session and self.role != ANONYMOUS:
            self.sign_in()
        return url, response


def matches(expected, response) -> bool:
    status = response.status_code
    to_login = status == 302 and "/login?next=" in response.headers.get("Location", "")  # "please log in first"
    if expected == LOGIN:
        return to_login
    if expected == ALLOWED:
        return status < 500 and status not in (401, 403, 404) and not to_login
    return status == expected


def comparable(response) -> bytes:
    """The answer without what differs between two requests anyway (the CSRF token's timestamp)."""
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", response.get_data())


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_matrix_allows(world, role):
    caller = Caller(world, role)
    wrong, checked = [], 0
    for entry in MATRIX:
        missing = None
        for obj in entry.objects:
            expected = entry.expect(role, obj)
            url, response = caller.request(entry, obj)
            checked += 1
            if not matches(expected, response):
                wrong.append(f"{entry.method} {url} ({entry.endpoint}, {obj or '-'}): expected {expected}, "
                             f"got {response.status_code} {response.headers.get('Location', '')}")
            elif expected == 404 and obj == MISSING:
                missing = comparable(response)
            elif expected == 404 and missing is not None and comparable(response) != missing:
                wrong.append(f"{entry.method} {url} ({entry.endpoint}, {obj}): its 404 differs from a missing id's")
    assert checked >= len(MATRIX)
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)
