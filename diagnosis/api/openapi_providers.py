"""The OpenAPI description of the sharing and review endpoints (``api.providers``); merged into the
document by ``openapi.openapi_document``."""
from __future__ import annotations

from typing import Any

from ..ids import MAX_ID

_NO_NUL = "^[^\\x00]*$"
_TEXT = {"type": "string", "maxLength": 5000, "pattern": _NO_NUL}
_KEYS = {"pattern": _NO_NUL, "maxLength": 200}
_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], properties: dict[str, Any], **extra) -> dict:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SCHEMAS: dict[str, Any] = {
    "ShareRequest": _obj(["organization_ids"], {"organization_ids": {
        "type": "array", "minItems": 1, "maxItems": 20,
        "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        "description": "已审核通过的服务商 id"}}, additionalProperties=False),
    "Share": _obj(["id", "organization", "created_at", "revoked_at", "last_opened_at", "last_opened_by"], {
        "id": {"type": "integer"},
        "organization": _obj(["id", "name"], {"id": {"type": "integer"}, "name": {"type": "string"}}),
        "created_at": _TIME, "revoked_at": _NULLABLE_TIME, "last_opened_at": _NULLABLE_TIME,
        "last_opened_by": {"type": ["string", "null"]}}),
    "ShareList": _obj(["shares"], {"shares": {"type": "array", "items": _ref("Share")}}),
    "QueueList": _obj(["items"], {"items": {"type": "array", "items": _obj(
        ["diagnosis_id", "number", "enterprise", "status", "shared_at"], {
            "diagnosis_id": {"type": "integer"}, "number": {"type": "string"}, "enterprise": {"type": "string"},
            "status": {"enum": ["new", "in_review", "returned", "reviewed"]}, "shared_at": _TIME})}}),
    "ReviewRequest": _obj([], {
        "action": {"enum": ["draft", "publish", "return"], "description": "保存草稿、发布新版本、退回请企业补充说明"},
        "opinion": _TEXT,
        "domains": {"type": "object", "propertyNames": _KEYS, "additionalProperties": _TEXT,
                    "description": "成熟度要素 → 意见"},
        "verifications": {"type": "object", "propertyNames": _KEYS, "description": "答案题号 → 核查结果",
                          "additionalProperties": _obj(["status"], {
                              "status": {"enum": ["verified", "disputed"]}, "comment": _TEXT,
                              "found": {"type": ["number", "null"], "description": "有异议的评分题：现场核实的评分"}},
                              additionalProperties=False)},
        "decisions": {"type": "object", "propertyNames": _KEYS, "description": "建议 id → 采纳或不采纳（附理由）",
                      "additionalProperties": _obj(["decision"], {
                          "decision": {"enum": ["accepted", "rejected"]}, "reason": _TEXT},
                          additionalProperties=False)},
        "added": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 200, "pattern": _NO_NUL},
                  "description": "从建议目录补充的建议 id"}},
        additionalProperties=False),
    "Review": _obj(["id", "version", "status", "organization", "reviewer", "opinion", "domains", "verifications",
                    "decisions", "added", "verified", "published_at", "updated_at"], {
        "id": {"type": "integer"}, "version": {"type": ["integer", "null"]},
        "status": {"enum": ["draft", "published", "returned"]}, "organization": {"type": ["string", "null"]},
        "reviewer": {"type": "string"}, "opinion": {"type": "string"}, "domains": {"type": "object"},
        "verifications": {"type": "object"}, "decisions": {"type": "object"},
        "added": {"type": "array", "items": {"type": "string"}},
        "verified": {"type": "object", "description": "核实比例、按核实答案重新计算的等级（self / verified）"},
        "published_at": _NULLABLE_TIME, "updated_at": _TIME}),
    "ReviewList": _obj(["reviews", "draft"], {"reviews": {"type": "array", "items": _ref("Review")},
                                              "draft": {"anyOf": [_ref("Review"), {"type": "null"}]}}),
}


def paths(common: dict[str, Any]) -> dict[str, Any]:
    """``common``: the shared pieces of the main document (bearer, diagnosis_id, error responses)."""
    bearer, diagnosis_id, err = common["bearer"], common["diagnosis_id"], common["err"]
    base = {"400": common["bad_query"], "401": common["unauthorized"], "503": common["unavailable"]}
    body_errors = {"400": err("请求体有误；key 指明字段"), "413": common["too_large"], "415": common["not_json"]}
    share_id = [{"name": "share_id", "in": "path", "required": True,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}]
    return {
        "/diagnoses/{diagnosis_id}/shares": {"post": {
            "summary": "Share a submitted diagnosis with approved provider organizations (the owner enterprise)",
            "security": bearer, "parameters": diagnosis_id,
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ShareRequest")}}},
            "responses": {**base, **body_errors, "201": _json(_ref("ShareList"), "已分享"),
                          "404": err("诊断不存在或不属于调用者的企业，或服务商不存在、未通过审核"),
                          "409": err("尚未提交，不能分享")}}},
        "/diagnoses/{diagnosis_id}/shares/{share_id}": {"delete": {
            "summary": "Revoke a share (kept, marked revoked); the provider loses access at once",
            "security": bearer, "parameters": diagnosis_id + share_id,
            "responses": {**base, "204": {"description": "已撤销"}, "404": err("不存在，或调用者无权撤销")}}},
        "/provider/queue": {"get": {
            "summary": "The provider's queue of shared diagnoses, by status", "security": bearer,
            "parameters": [
                {"name": "status", "in": "query", "required": False,
                 "schema": {"enum": ["new", "in_review", "returned", "reviewed"]}},
                {"name": "q", "in": "query", "required": False,
                 "schema": {"type": "string", "maxLength": 100, "pattern": _NO_NUL},
                 "description": "企业名称或诊断编号包含的文字"}],
            "responses": {**base, "200": _json(_ref("QueueList")), "404": err("调用者不是服务商")}}},
        "/diagnoses/{diagnosis_id}/reviews": {
            "post": {
                "summary": "Save the provider organization's review draft, publish it as a new version, or "
                           "return the diagnosis for clarification",
                "security": bearer, "parameters": diagnosis_id,
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ReviewRequest")}}},
                "responses": {**base, **body_errors, "201": _json(_ref("Review"), "已保存"),
                              "404": err("不存在，或调用者不是获得有效分享的服务商")}},
            "get": {
                "summary": "Review versions of a diagnosis (newest first); a provider also gets its draft",
                "security": bearer, "parameters": diagnosis_id,
                "responses": {**base, "200": _json(_ref("ReviewList")), "404": err("不存在，或调用者无权查看")}}},
    }
