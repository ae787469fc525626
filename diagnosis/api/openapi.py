"""The OpenAPI 3.1 description of /api/v1.

The request schemas of ``POST /score`` are built from the instrument documents, so the document says
exactly which questionnaires, profile fields, answer ids and values the server accepts. What JSON
Schema cannot say (a count not above its total, a "none of the above" option chosen alone, "not
applicable" only where the production type allows it) the server answers with a 400 naming the key.
``tests/test_api_schema.py`` holds the server to this document with schemathesis.
"""
from __future__ import annotations

from typing import Any

from ..ids import MAX_ID
from ..instruments import Document, Library
from ..json_input import MAX_DEPTH
from ..scoring import SCORING_VERSION
from ..scoring import consistency
from ..scoring.engine import parts_of
from ..scoring.figures import compile_figures
from ..scoring.profile import fields as profile_fields
from . import openapi_providers
from .limits import BODY_MAX, EMAIL_MAX

_NO_NUL = "^[^\\x00]*$"
_NULLABLE_NUMBER = {"type": ["number", "null"]}
_COVERAGE_KEYS = ["roster", "registered", "drafting", "diagnosed", "rate", "of_target"]
_COVERAGE_FIGURES = {"type": "object", "required": _COVERAGE_KEYS, "properties": {
    "roster": {"type": "integer", "minimum": 0}, "registered": {"type": "integer", "minimum": 0},
    "drafting": {"type": "integer", "minimum": 0}, "diagnosed": {"type": "integer", "minimum": 0},
    "rate": _NULLABLE_NUMBER, "of_target": _NULLABLE_NUMBER}}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], properties: dict[str, Any], **extra) -> dict:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _json(schema: dict, description: str = "OK", headers: dict | None = None) -> dict:
    out = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        out["headers"] = headers
    return out


def _err(description: str, headers: dict | None = None) -> dict:
    return _json(ref("Error"), description, headers)


# --- request schemas derived from the instruments ------------------------------------------------

def _value_schema(field: dict) -> dict:
    """A profile field or an SME collected number (scoring.profile.check_value); null = unanswered."""
    kind = field["type"]
    if kind in ("integer", "number"):
        schema: dict[str, Any] = {"type": [kind, "null"]}
        if "min" in field:
            schema["minimum"] = field["min"]
        if "max" in field:
            schema["maximum"] = field["max"]
        return schema
    options = [o["key"] for o in field["options"]]
    if kind == "choice":
        return {"enum": [*options, None]}
    return {"type": ["array", "null"], "items": {"enum": options}, "uniqueItems": True}


def _profile_schema(profile_doc: Document, needs_industry_type: bool) -> dict:
    known = profile_fields(profile_doc.data)
    properties = {}
    for key, field in known.items():
        schema = _value_schema(field)
        schema["description"] = field["label"] + (f"（{field['unit']}）" if field.get("unit") else "")
        if field.get("not_above"):
            schema["description"] += f"；不能大于 {field['not_above']}"
        properties[key] = schema
    if not needs_industry_type:
        return {"type": ["object", "null"], "additionalProperties": False, "properties": properties,
                "description": "企业概况；null 或省略表示未填写"}
    industry = dict(properties["industry_type"], enum=[v for v in properties["industry_type"]["enum"] if v is not None])
    return {"type": "object", "additionalProperties": False, "required": ["industry_type"],
            "properties": dict(properties, industry_type=industry),
            "description": "企业概况；成熟度评估按生产类型（industry_type）裁剪，必须填写"}


def _sme_answers(doc: Document) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for q in doc.data["questions"]:
        letters = [o["key"] for o in q["options"]]
        if q["type"] == "single":
            out[q["id"]] = {"enum": [*letters, None], "description": f"单选：{q['text']}"}
        else:
            schema = {"type": ["array", "null"], "items": {"enum": letters}, "uniqueItems": True,
                      "description": f"多选：{q['text']}"}
            exclusive = next((o["key"] for o in q["options"] if o.get("exclusive")), None)
            if exclusive:
                schema["not"] = {"type": "array", "contains": {"const": exclusive}, "minItems": 2}
                schema["description"] += f"（{exclusive} 只能单独选择）"
            out[q["id"]] = schema
        for col in q.get("collects", []) or []:
            out[col["key"]] = dict(_value_schema(col), description=col["label"])
    for group in doc.data["scene_groups"]:
        for scene in group["scenes"]:
            out[scene["id"]] = {"type": ["integer", "null"], "minimum": 0, "maximum": 4,
                                "description": f"场景等级 0–4：{scene['name']}"}
    return out


def _cmmm_answers(doc: Document) -> dict[str, dict]:
    tailorable = {sd for p in doc.data["profiles"].values() for sd in p["tailorable"]}
    return {item["id"]: ref("MaturityValueOrNotApplicable" if sd["key"] in tailorable else "MaturityValue")
            for sd in doc.data["subdomains"] for items in sd["levels"].values() for item in items}


def _score_request(questionnaire: Document, library: Library) -> dict:
    parts = parts_of(questionnaire, library.__getitem__)
    answers: dict[str, dict] = {}
    for part in parts:
        answers.update(_sme_answers(part) if part.kind == "sme" else _cmmm_answers(part))
    sme = next((part for part in parts if part.kind == "sme"), None)
    for flag_id in sorted(consistency.known_ids(compile_figures(sme.data, sme.sha256) if sme else None)):
        answers[consistency.EXPLAIN_PREFIX + flag_id] = {
            "type": ["string", "null"], "maxLength": consistency.EXPLANATION_MAX, "pattern": _NO_NUL,
            "description": "企业对该核对项的说明（null 表示撤回）"}
    needs_industry_type = any(part.kind == "cmmm" for part in parts)
    industries = library.of_kind("industries")
    return {
        "type": "object", "additionalProperties": False,
        "required": ["questionnaire"] + (["profile"] if needs_industry_type else []),
        "title": questionnaire.title,
        "properties": {
            "questionnaire": {"const": questionnaire.key},
            "profile": ref("ProfileForMaturity" if needs_industry_type else "Profile"),
            "answers": {"type": ["object", "null"], "additionalProperties": False, "properties": answers,
                        "description": "题号 → 答案；null 或省略的题按未答（0 分）计"},
            "industry": {"type": "string",
                         "enum": [i["code"] for i in industries[0].data["industries"]] if industries else [],
                         "description": "企业所属制造业行业大类（GB/T 4754），用于按行业筛选升级建议和政策提示"},
        },
    }


# --- response schemas ----------------------------------------------------------------------------

_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
_NUMBER_MAP = {"type": "object", "additionalProperties": {"type": "number"}}

_SME_RESULT = _obj(
    ["total", "max", "grade", "grade_label", "grade_rule", "dimensions", "questions", "scenes"],
    {"total": {"type": "number"}, "max": {"type": "number"}, "grade": {"type": "integer"},
     "grade_label": {"type": "string"},
     "grade_rule": _obj(["key", "name", "bands"], {"key": {"type": "string"}, "name": {"type": "string"},
                                                  "bands": {"type": "array", "items": {"type": "object"}}}),
     "dimensions": _NUMBER_MAP, "dimension_details": {"type": "array", "items": {"type": "object"}},
     "questions": {"type": "object", "additionalProperties": _obj(["points"], {"points": {"type": "number"}})},
     "scenes": {"type": "object", "additionalProperties": _obj(
         ["name", "level"], {"name": {"type": "string"}, "group": {"type": "string"}, "level": {"type": "integer"}})},
     "scene_groups": _NUMBER_MAP},
    description="中小企业数字化水平：总分、等级、维度得分、各题得分、场景等级")
_CMMM_RESULT = _obj(
    ["level", "level_label", "score", "achieved", "asked_up_to", "level_scores"],
    {"level": {"type": "integer"}, "level_label": {"type": "string"}, "level_title": {"type": "string"},
     "score": {"type": "number"}, "achieved": {"type": "integer"}, "asked_up_to": {"type": "integer"},
     "level_scores": _NUMBER_MAP, "profile": {"type": "string"}, "profile_name": {"type": "string"},
     "tailored_out": {"type": "array", "items": {"type": "string"}},
     "subdomains": {"type": "object", "additionalProperties": {"type": "object"}}, "method": {"type": "object"}},
    description="智能制造能力成熟度：等级、得分 S = k + s(k+1)、各级得分、各子域")
_RECOMMENDATION = _obj(
    ["id", "kind", "title", "priority", "because"],
    {"id": {"type": "string"}, "kind": {"type": "string"}, "title": {"type": "string"},
     "summary": {"type": "string"}, "steps": {"type": "array", "items": {"type": "string"}},
     "priority": {"type": "integer"}, "phase": {"type": "string"}, "score": {"type": "number"},
     "because": {"type": "array", "items": _obj(["fact"], {"fact": {"type": "string"}, "question": {"type": "string"},
                                                            "answer": {"type": "string"}})}},
    description="升级建议；because 列出触发它的答案")
_SCORE_RESULT = {
    "type": "object",
    "required": ["questionnaire", "title", "scoring_version", "versions", "indicators"],
    "properties": {
        "questionnaire": {"type": "string"}, "title": {"type": "string"}, "scoring_version": {"type": "string"},
        "versions": _STRING_MAP,
        "indicators": {"type": "object", "additionalProperties": _NULLABLE_NUMBER},
        "sme": ref("SmeResult"), "cmmm": ref("MaturityResult"),
        "recommendations": {"type": "array", "items": ref("Recommendation")},
        "prioritization_rule": {"type": "string"},
    },
    "anyOf": [{"required": ["sme"]}, {"required": ["cmmm"]}, ref("SmeResult"), ref("MaturityResult")],
    "description": "套件的结果含 sme 和/或 cmmm 两块；单一问卷的结果把该块的字段放在顶层",
}
_SUMMARY_PROPERTIES = {
    "id": {"type": "integer"}, "number": {"type": "string"},
    "status": {"type": "string", "examples": ["draft", "submitted"]}, "questionnaire": {"type": "string"},
    "enterprise": _obj(["id", "name", "credit_code", "area", "industry_code"], {
        "id": {"type": "integer"}, "name": {"type": "string"}, "credit_code": {"type": "string"},
        "area": {"type": "string"}, "industry_code": {"type": "string"}}),
    "created_at": {"type": "string", "format": "date-time"},
    "submitted_at": {"type": ["string", "null"], "format": "date-time"},
    "sme_total": _NULLABLE_NUMBER, "sme_grade": {"type": ["integer", "null"]},
    "cmmm_level": {"type": ["integer", "null"]}, "cmmm_score": _NULLABLE_NUMBER,
    "url": {"type": "string"},
}
_SUMMARY_REQUIRED = list(_SUMMARY_PROPERTIES)
_DIAGNOSIS = _obj(
    _SUMMARY_REQUIRED + ["profile", "answers", "result", "versions", "report_url"],
    dict(_SUMMARY_PROPERTIES,
         profile={"type": "object"}, answers={"type": "object"},
         result={"anyOf": [ref("ScoreResult"), {"type": "null"}], "description": "提交前为 null"},
         versions=_STRING_MAP, report_url={"type": ["string", "null"]}))
_QUESTION = _obj(["id", "type", "text"], {
    "id": {"type": "string"}, "type": {"type": "string"}, "text": {"type": "string"},
    "options": {"type": "array", "items": _obj(["key", "text"], {
        "key": {"type": ["string", "number"]}, "text": {"type": "string"}})}})
_QUESTIONNAIRE = _obj(["key", "kind", "title", "version", "sha256", "stages"], {
    "key": {"type": "string"}, "kind": {"enum": ["suite", "sme", "cmmm"]}, "title": {"type": "string"},
    "version": {"type": "string"}, "sha256": {"type": "string"},
    "stages": {"type": "array", "items": _obj(["key", "title", "questions"], {
        "key": {"type": "string"}, "title": {"type": "string"},
        "questions": {"type": "array", "items": ref("Question")}})}})
_ERROR = _obj(["error"], {"error": _obj(["message"], {
    "message": {"type": "string"},
    "key": {"type": "string", "description": "出错的键，如 answers.Q01；请求体整体有误时为 (body)"}})})


def openapi_document(library: Library) -> dict:
    keys = [d.key for d in library.questionnaires]
    profile_doc = library.single("profile")
    bearer = [{"bearer": []}]
    diagnosis_id = [{"name": "diagnosis_id", "in": "path", "required": True,
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}]
    retry_after = {"Retry-After": {"schema": {"type": "integer"}, "description": "秒"}}
    unauthorized = _err("缺少或无效的访问令牌", {"WWW-Authenticate": {"schema": {"type": "string"}}})
    too_large = _err(f"请求体超过 {BODY_MAX // 1024} KB")
    not_json = _err("请求体不是 JSON（Content-Type 应为 application/json）")
    too_many = _err("登录失败次数过多，暂停换取令牌", retry_after)
    unavailable = _err("数据库暂时不可用，请稍后再试")
    bad_query = _err("查询参数含空字符（NUL）")
    return {
        "openapi": "3.1.0",
        "info": {"title": "智造诊断 API", "version": "1", "description":
                 f"Scoring engine {SCORING_VERSION}. Questionnaires, scoring, and the diagnoses the caller may see. "
                 f"Every error is JSON ({{\"error\": {{\"message\", \"key\"}}}}), unknown paths and methods included "
                 f"(404, 405 with an Allow header). JSON bodies: at most {BODY_MAX // 1024} KB, {MAX_DEPTH} levels "
                 f"deep, no NUL characters."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "POST /auth/token 换取的令牌"}},
            "schemas": {
                "Error": _ERROR,
                "TokenRequest": _obj(["email", "password"], {
                    "email": {"type": "string", "minLength": 1, "maxLength": EMAIL_MAX, "pattern": _NO_NUL},
                    "password": {"type": "string", "minLength": 1, "pattern": _NO_NUL}}, additionalProperties=False),
                "Token": _obj(["token", "token_type", "expires_at", "user"], {
                    "token": {"type": "string"}, "token_type": {"const": "Bearer"},
                    "expires_at": {"type": "string", "format": "date-time"},
                    "user": _obj(["id", "email", "role"], {"id": {"type": "integer"}, "email": {"type": "string"},
                                                           "role": {"type": "string"}})}),
                "QuestionnaireList": _obj(["questionnaires"], {"questionnaires": {"type": "array", "items": _obj(
                    ["key", "kind", "title", "version", "url"], {
                        "key": {"type": "string"}, "kind": {"type": "string"}, "title": {"type": "string"},
                        "version": {"type": "string"}, "url": {"type": "string"}})}}),
                "Question": _QUESTION,
                "Questionnaire": _QUESTIONNAIRE,
                "Profile": _profile_schema(profile_doc, needs_industry_type=False),
                "ProfileForMaturity": _profile_schema(profile_doc, needs_industry_type=True),
                "MaturityValue": {"enum": [0, 0.5, 0.8, 1],
                                  "description": "不满足 0、部分满足 0.5、大部分满足 0.8、全部满足 1"},
                "MaturityValueOrNotApplicable": {"enum": [0, 0.5, 0.8, 1, None], "description":
                                                 "同上；null 表示不适用，仅限生产类型允许裁剪的子域"},
                "ScoreRequest": {"oneOf": [_score_request(doc, library) for doc in library.questionnaires],
                                 "description": "questionnaire 决定可答的题号；与 `diagnosis score FILE` 的输入相同"},
                "ScoreResult": _SCORE_RESULT,
                "SmeResult": _SME_RESULT,
                "MaturityResult": _CMMM_RESULT,
                "Recommendation": _RECOMMENDATION,
                "DiagnosisSummary": _obj(_SUMMARY_REQUIRED, _SUMMARY_PROPERTIES),
                "DiagnosisList": _obj(["diagnoses"], {"diagnoses": {"type": "array", "items": ref("DiagnosisSummary")}}),
                "Diagnosis": _DIAGNOSIS,
                "CoverageFigures": _COVERAGE_FIGURES,
                "CoverageRow": _obj(["code", "name", *_COVERAGE_KEYS], {
                    "code": {"type": "string"}, "name": {"type": "string"}, **_COVERAGE_FIGURES["properties"]}),
                "Coverage": _obj(["round", "target", "total", "by_area", "by_industry"], {
                    "round": _obj(["name", "starts_on", "ends_on"], {
                        "name": {"type": "string"}, "starts_on": {"type": "string", "format": "date"},
                        "ends_on": {"type": "string", "format": "date"}}),
                    "target": _NULLABLE_NUMBER, "total": ref("CoverageFigures"),
                    "by_area": {"type": "array", "items": ref("CoverageRow")},
                    "by_industry": {"type": "array", "items": ref("CoverageRow")}}),
                "ReportPending": _obj(["status", "retry_after"], {
                    "status": {"type": "string"}, "retry_after": {"type": "integer"}}),
                **openapi_providers.SCHEMAS,
            },
        },
        "paths": {
            "/auth/token": {"post": {
                "summary": "Exchange email and password for a bearer token",
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref("TokenRequest")}}},
                "responses": {"200": _json(ref("Token")), "400": _err("缺少 email 或 password，或类型不对；key 指明字段"),
                              "401": _err("邮箱或密码不正确"), "413": too_large, "415": not_json,
                              "429": too_many, "503": unavailable}},
                "delete": {"summary": "Revoke the bearer token presented (logout); logging out of the "
                                      "web session revokes all of the user's tokens",
                           "security": bearer,
                           "responses": {"204": {"description": "revoked"}, "400": bad_query,
                                         "401": unauthorized, "503": unavailable}}},
            "/questionnaires": {"get": {
                "summary": "List questionnaires",
                "responses": {"200": _json(ref("QuestionnaireList")), "400": bad_query}}},
            "/questionnaires/{key}": {"get": {
                "summary": "Structure of one questionnaire: stages, questions with id, type, options",
                "parameters": [{"name": "key", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": keys}}],
                "responses": {"200": _json(ref("Questionnaire")), "400": bad_query, "404": _err("未知问卷")}}},
            "/score": {"post": {
                "summary": "Score answers (no account needed); same contract as `diagnosis score FILE`",
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref("ScoreRequest")}}},
                "responses": {"200": _json(ref("ScoreResult")),
                              "400": _err("输入有误（含本文档无法表达的跨字段规则）；key 指明出错的键"),
                              "413": too_large, "415": not_json}}},
            "/diagnoses": {"get": {
                "summary": "Diagnoses the caller may see", "security": bearer,
                "responses": {"200": _json(ref("DiagnosisList")), "400": bad_query, "401": unauthorized,
                              "503": unavailable}}},
            "/diagnoses/{diagnosis_id}": {"get": {
                "summary": "One diagnosis with answers and result", "security": bearer, "parameters": diagnosis_id,
                "responses": {"200": _json(ref("Diagnosis")), "400": bad_query, "401": unauthorized,
                              "404": _err("不存在，或调用者无权查看"), "503": unavailable}}},
            "/coverage": {"get": {
                "summary": "Diagnosis coverage against the roster of above-scale enterprises, per area and "
                           "industry, in a round (bureau and admin tokens; an area bureau sees its own area)",
                "security": bearer,
                "parameters": [
                    {"name": "area", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": [a["code"] for a in library.single("areas").data["areas"]]}},
                    {"name": "industry", "in": "query", "required": False,
                     "schema": {"type": "string",
                                "enum": [i["code"] for i in library.single("industries").data["industries"]]}},
                    {"name": "round", "in": "query", "required": False, "description":
                     "轮次名称（如“2026年度”或已配置的轮次），缺省为当前轮次",
                     "schema": {"type": "string", "maxLength": 60, "pattern": _NO_NUL}}],
                "responses": {"200": _json(ref("Coverage")),
                              "400": _err("未知的区域、行业或轮次；key 指明参数"), "401": unauthorized,
                              "404": _err("调用者不是主管部门，或区域不在其范围内"), "503": unavailable}}},
            "/diagnoses/{diagnosis_id}/report.pdf": {"get": {
                "summary": "The PDF report (202 while it renders in the background)", "security": bearer,
                "parameters": diagnosis_id,
                "responses": {"200": {"description": "PDF (with an ETag: the same report gives the same bytes)",
                                      "content": {"application/pdf": {
                                          "schema": {"type": "string", "format": "binary"}}}},
                              "304": {"description": "未修改：If-None-Match 与当前报告的 ETag 相同"},
                              "202": _json(ref("ReportPending"), "正在后台生成，稍后重试", retry_after),
                              "400": bad_query, "401": unauthorized, "404": _err("不存在，或调用者无权查看"),
                              "409": _err("尚未提交，不能生成报告"), "503": unavailable}}},
            **openapi_providers.paths({"bearer": bearer, "diagnosis_id": diagnosis_id, "err": _err,
                                       "bad_query": bad_query, "unauthorized": unauthorized,
                                       "unavailable": unavailable, "too_large": too_large, "not_json": not_json}),
        },
    }
