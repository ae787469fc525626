"""The OpenAPI 3.1 description of /api/v1."""
from __future__ import annotations

from ..scoring import SCORING_VERSION

_ERROR = {"type": "object", "properties": {"error": {"type": "object", "required": ["message"], "properties": {
    "message": {"type": "string"}, "key": {"type": "string", "description": "the offending key, e.g. answers.Q01"}}}}}
_SCORE_INPUT = {
    "type": "object", "required": ["questionnaire"],
    "properties": {
        "questionnaire": {"type": "string", "examples": ["sme-digital-2024", "cmmm", "zhizao-2024"]},
        "profile": {"type": "object", "description": "enterprise profile fields (see GET /questionnaires/profile stages)"},
        "answers": {"type": "object", "additionalProperties": True, "description":
                    "question id -> answer: an option letter (single), a list of letters (multi), 0-4 (scene), "
                    "0/0.5/0.8/1 or null (maturity items); explain.<flag id> -> the enterprise's explanation "
                    "of a consistency flag (text, at most 500 characters)"},
        "industry": {"type": "string", "pattern": "^[0-9]{2}$", "description":
                     "the enterprise's GB/T 4754 manufacturing division (13-43): fits the upgrade catalog and "
                     "the policy hooks to the industry"},
    },
}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _err(description):
    return _json({"$ref": "#/components/schemas/Error"}, description)


def openapi_document() -> dict:
    bearer = [{"bearer": []}]
    diag_id = [{"name": "diagnosis_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "智造诊断 API", "version": "1", "description":
                 f"Scoring engine {SCORING_VERSION}. Questionnaires, scoring, and the diagnoses the caller may see."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": _ERROR, "ScoreInput": _SCORE_INPUT},
        },
        "paths": {
            "/auth/token": {"post": {
                "summary": "Exchange email and password for a bearer token",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["email", "password"],
                    "properties": {"email": {"type": "string"}, "password": {"type": "string"}}}}}},
                "responses": {"200": _json({"type": "object", "required": ["token", "expires_at"], "properties": {
                    "token": {"type": "string"}, "token_type": {"type": "string"},
                    "expires_at": {"type": "string", "format": "date-time"}, "user": {"type": "object"}}}),
                    "400": _err("missing fields"), "401": _err("wrong email or password")}}},
            "/questionnaires": {"get": {"summary": "List questionnaires", "responses": {"200": _json({"type": "object"})}}},
            "/questionnaires/{key}": {"get": {
                "summary": "Structure of one questionnaire: stages, questions with id, type, options",
                "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json({"type": "object"}), "404": _err("unknown questionnaire")}}},
            "/score": {"post": {
                "summary": "Score answers (no account needed); same contract as `diagnosis score FILE`",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScoreInput"}}}},
                "responses": {"200": _json({"type": "object", "description":
                                            "SME: total, grade, grade_rule, dimensions, scenes; maturity: level, score, "
                                            "level_scores, subdomains; suites: sme and cmmm blocks; recommendations"}),
                              "400": _err("bad input; the message names the key")}}},
            "/diagnoses": {"get": {"summary": "Diagnoses the caller may see", "security": bearer,
                                   "responses": {"200": _json({"type": "object"}), "401": _err("no valid token")}}},
            "/diagnoses/{diagnosis_id}": {"get": {
                "summary": "One diagnosis with answers and result", "security": bearer, "parameters": diag_id,
                "responses": {"200": _json({"type": "object"}), "401": _err("no valid token"),
                              "404": _err("not found or not visible to the caller")}}},
            "/diagnoses/{diagnosis_id}/report.pdf": {"get": {
                "summary": "The PDF report (202 while it renders in the background)", "security": bearer,
                "parameters": diag_id,
                "responses": {"200": {"description": "PDF", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                              "202": _json({"type": "object"}, "rendering; retry later"),
                              "401": _err("no valid token"), "404": _err("not found or not visible to the caller"),
                              "409": _err("not submitted yet")}}},
        },
    }
