"""The OpenAPI 3.1 description of ``/api/v1``, written by hand (a test checks that its paths
are exactly the API's routes and that the documents match their schemas' required keys)."""

from __future__ import annotations

from typing import Any

_TIME = {"type": ["string", "null"], "format": "date-time"}
_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
_INTERVAL = {
    "type": "object",
    "required": ["kind", "start", "end", "start_minute", "end_minute", "minutes"],
    "properties": {
        "kind": {"enum": ["planned", "possible", "emergency"]},
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "start_minute": {"type": "integer", "description": "wall-clock minute of the day"},
        "end_minute": {"type": "integer"},
        "minutes": {"type": "integer", "description": "elapsed minutes (DST-aware)"},
    },
}
_OUTAGE = {
    "type": ["object", "null"],
    "properties": {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "minutes": {"type": "integer"},
    },
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": _ERROR,
    "Regions": {
        "type": "object",
        "required": ["regions"],
        "properties": {
            "regions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "name_uk", "name_en", "timezone", "has_schedule"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "name_uk": {"type": "string"},
                        "name_en": {"type": "string"},
                        "timezone": {"type": "string"},
                        "has_schedule": {"type": "boolean"},
                    },
                },
            }
        },
    },
    "Queues": {
        "type": "object",
        "required": ["region", "queues"],
        "properties": {
            "region": {"type": "string"},
            "queues": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {"id": {"type": "string"}, "name": {"type": ["string", "null"]}},
                },
            },
        },
    },
    "Schedule": {
        "type": "object",
        "required": [
            "region",
            "queue",
            "timezone",
            "status",
            "stale",
            "stale_reason",
            "source_updated_at",
            "checked_at",
            "now",
            "days",
        ],
        "properties": {
            "region": {"type": "string"},
            "queue": {"type": "string"},
            "timezone": {"type": "string"},
            "status": {"enum": ["fresh", "stale", "source_error", "unknown"]},
            "stale": {"type": "boolean"},
            "stale_reason": {"enum": ["fetch", "operator", None]},
            "source_updated_at": _TIME,
            "checked_at": _TIME,
            "now": {
                "type": "object",
                "required": ["power", "current_outage", "next_outage", "next_change"],
                "properties": {
                    "power": {"enum": ["on", "off", "unknown", "emergency"]},
                    "current_outage": _OUTAGE,
                    "next_outage": _OUTAGE,
                    "next_change": _TIME,
                },
            },
            "days": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["date", "state", "revision", "updated_at", "intervals"],
                    "properties": {
                        "date": {"type": "string", "format": "date"},
                        "state": {"enum": ["published", "pending", "emergency"]},
                        "revision": {"type": "integer"},
                        "updated_at": {"type": "string", "format": "date-time"},
                        "intervals": {"type": "array", "items": _INTERVAL},
                    },
                },
            },
        },
    },
    "Monitor": {
        "type": "object",
        "required": ["kind", "power", "since", "label", "region", "queue", "last_beat_at"],
        "properties": {
            "kind": {"type": "string"},
            "power": {"enum": ["on", "off", "unknown"]},
            "since": _TIME,
            "label": {"type": ["string", "null"]},
            "region": {"type": ["string", "null"]},
            "queue": {"type": ["string", "null"]},
            "last_beat_at": _TIME,
        },
    },
}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answers(schema: str, *errors: int) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": _ref(schema)}}},
        "304": {"description": "Not modified (If-None-Match matched the ETag)"},
        "429": {
            "description": "Too many requests; see Retry-After",
            "content": {"application/json": {"schema": _ref("Error")}},
        },
    }
    for status in errors:
        answers[str(status)] = {
            "description": {404: "Not found", 503: "No data stored yet; see Retry-After"}[status],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return answers


def _param(name: str, where: str = "path", description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": {"type": "string"},
        "description": description,
    }


LANG = _param("lang", "query", "uk (default) or en")
PATHS: dict[str, dict[str, Any]] = {
    "/regions": {
        "get": {
            "summary": "Every region of the catalogue",
            "parameters": [LANG],
            "responses": _answers("Regions"),
        }
    },
    "/regions/{region}/queues": {
        "get": {
            "summary": "The queues (groups) of a region",
            "parameters": [_param("region")],
            "responses": _answers("Queues", 404, 503),
        }
    },
    "/regions/{region}/queues/{queue}/schedule": {
        "get": {
            "summary": "A queue's outages by day, its freshness, and power now by schedule",
            "parameters": [_param("region"), _param("queue", description="such as 3.1")],
            "responses": _answers("Schedule", 404, 503),
        }
    },
    "/monitors/{secret}": {
        "get": {
            "summary": "A power monitor's state, by the secret of its heartbeat URL",
            "parameters": [_param("secret")],
            "responses": _answers("Monitor", 404),
        }
    },
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "responses": {"200": {"description": "OpenAPI 3.1 document"}},
        }
    },
}


def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eSvitlo monitor API",
            "version": "1",
            "description": (
                "Power-outage schedules of Ukrainian regions. Every answer has an ETag "
                "(send If-None-Match for 304), Cache-Control and CORS headers; errors are "
                '{"error": {"code", "message"}}; each client address may make a limited '
                "number of requests a minute (429 with Retry-After beyond it)."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
