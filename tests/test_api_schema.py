"""The API keeps the promises of its OpenAPI document, checked by schemathesis against the real app and
database with a real bearer token: no server error, every response of a documented status with a
documented content type and a body its schema accepts, every request the schema refuses refused, every
request it accepts accepted, no secured operation answering without a valid token.

One run per operation and backend; the seed, the example count and derandomized generation keep it
bounded and the same in every run (CI included).
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy import select

from conftest import BACKENDS, PASSWORD, make_enterprise, running_app, submit_demo
from diagnosis.accounts.models import User
from diagnosis.accounts.services import issue_token
from diagnosis.api.openapi import openapi_document
from diagnosis.assessments import services
from diagnosis.extensions import db
from diagnosis.instruments import load_library

DOCUMENT = openapi_document(load_library())
# The world fixture builds them first in an empty database; generated ids hit them half the time.
SUBMITTED_ID, DRAFT_ID = 1, 2
OWNER_EMAIL = "ent@example.com"

REPRODUCIBLE = {"deterministic": True, "database": "none"}
CONFIG = SchemathesisConfig.from_dict({
    "seed": 20261130,
    "generation": {"max-examples": 40, **REPRODUCIBLE},
    "dictionaries": {"diagnoses": {"values": [SUBMITTED_ID, DRAFT_ID]},
                     "emails": {"values": [OWNER_EMAIL]}, "passwords": {"values": [PASSWORD]}},
    "parameters": {"path.diagnosis_id": {"dictionary": "diagnoses", "probability": 0.5},
                   "body.email": {"dictionary": "emails", "probability": 0.5},
                   "body.password": {"dictionary": "passwords", "probability": 0.5}},
    "phases": {"stateful": {"enabled": False}},
    "operations": [{
        # Rules JSON Schema cannot state (a count above its total, "none of the above" with another
        # option, "not applicable" where the production type forbids it) are answered 400 naming the key.
        "include-path": "/score",
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2XX", 400]}},
        # The coverage phase would send thousands of boundary cases (one per answer id and value);
        # more fuzzed examples reach the same code in a fraction of the time.
        "phases": {"coverage": {"enabled": False}},
        "generation": {"max-examples": 100, **REPRODUCIBLE},
    }],
})


class AppUnderTest:
    """The schema is built at import, before any app exists; its requests (checks' probes included)
    go through this WSGI app to the app of the backend being tested."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


APP_UNDER_TEST = AppUnderTest()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
schema.app = APP_UNDER_TEST


@pytest.fixture
def owner_token(world):
    """A fresh bearer token of the enterprise user for each operation, issued by the service behind the
    token endpoint (whose failed-login limit the fuzzing of that endpoint may have used up). Every
    request carries it; schemathesis' auth check also sends secured requests without it and with a
    forged one, and expects 401."""
    owner = db.session.scalars(select(User).where(User.email == OWNER_EMAIL)).one()
    token, _expires = issue_token(owner, hours=1)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    """One application and database per backend for every operation, the schema bound to it: an
    enterprise user with a submitted diagnosis and a draft, built through the services."""
    folder = tmp_path_factory.mktemp("api-schema")
    url = f"sqlite:///{folder / 'test.sqlite'}" if request.param == "sqlite" else os.environ["TEST_DATABASE_URL"]
    with running_app(url, folder) as app:
        owner = make_enterprise(email=OWNER_EMAIL)
        submitted = submit_demo(owner)
        draft = services.start_diagnosis(owner, "zhizao-2024")
        assert (submitted.id, draft.id) == (SUBMITTED_ID, DRAFT_ID)
        APP_UNDER_TEST.app = app
        yield app
        APP_UNDER_TEST.app = None


def test_the_served_document_is_the_one_tested(world):
    assert world.test_client().get("/api/v1/openapi.json").get_json() == DOCUMENT


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_its_openapi_contract(case, world, owner_token):
    case.call_and_validate(headers=owner_token)
