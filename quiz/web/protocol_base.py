"""The wire contract's ground: what every client message model shares.

The strict base model (`Message`), the limits and checked field types every
model uses, `ProtocolError` and `parse`, which turns a refused payload into the
contract's message in the contest's language (pydantic's own error text never
reaches a client: `_message` maps the first error onto it), and `error_ack`.
The models themselves are in protocol.py (events), protocol_mc.py (the MC's
commands) and protocol_jury.py (the jury's). See docs/protocol.md.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from quiz.rules import commands as c
from quiz.rules.text import N_, tr

MAX_ID = 100
MAX_REASON = 500
MAX_VALUE_JSON = 2000
MAX_NONCE = 64
MAX_APPEAL = 500  # characters of an appeal's text

NOT_AN_OBJECT = N_("Dữ liệu gửi lên phải là một đối tượng")
VERDICTS = ("correct", "wrong", "timeout")


class ProtocolError(Exception):
    def __init__(self, message: str, code: str = "bad_request") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def refusal(message: str) -> PydanticCustomError:
    """A validation error whose text is already the client's message."""
    return PydanticCustomError("refusal", "{text}", {"text": message})


def _answer_value(value: Any) -> Any:
    """An answer value: any JSON, at most MAX_VALUE_JSON characters of it."""
    try:
        size = len(json.dumps(value))
    except (TypeError, ValueError) as exc:
        raise refusal(tr("Đáp án không hợp lệ")) from exc
    if size > MAX_VALUE_JSON:
        raise refusal(tr("Đáp án quá dài"))
    return value


def _positive_whole(value: float | None, info: ValidationInfo) -> float | None:
    if value is not None and (not value.is_integer() or value < 1):
        raise refusal(tr("Trường '{key}' phải là số nguyên dương", key=info.field_name))
    return value


AnswerValue = Annotated[Any, AfterValidator(_answer_value)]
PositiveWhole = Annotated[float | None, AfterValidator(_positive_whole)]


class Message(BaseModel):
    """A client message. Fields are declared in the order they are checked, so
    the first one wrong is the one the error ack names."""

    # strict: no coercion (an int is still a valid float; bytes are not a str);
    # allow_inf_nan: JSON's NaN and Infinity, and integers no float can hold, are refused
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)

    # A field whose every error gets one message (instead of the message of its type):
    # a message id (N_), shown with tr().
    field_messages: ClassVar[dict[str, str]] = {}


def press_seconds(press_ms: float | None) -> float | None:
    """The tablet's press stamp, sent in server ms, in seconds."""
    return None if press_ms is None else press_ms / 1000.0


MAX_PARTS = 20  # criteria of a judged round, at most
BAD_PARTS = N_("Trường 'parts' phải là {tiêu chí: điểm}, 1 đến 20 tiêu chí")  # 20: MAX_PARTS


def _parts(parts: dict[str, float] | None) -> dict[str, float] | None:
    if parts is not None and (not parts or any(len(k) > MAX_ID for k in parts)):
        raise refusal(tr(BAD_PARTS))
    return parts


Parts = Annotated[dict[str, float] | None, Field(max_length=MAX_PARTS), AfterValidator(_parts)]


# Parsing -----------------------------------------------------------------------


class CommandMsg(Message):
    name: str

    def command(self) -> c.Command:
        raise NotImplementedError


M = TypeVar("M", bound=Message)


def parse(model: type[M], payload: object) -> M:
    """`payload` as a `model`, or a ProtocolError with the contract's message."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise ProtocolError(_message(model, exc.errors(include_url=False))) from None


def _message(model: type[Message], errors: list[ErrorDetails]) -> str:
    """The client's message for a refused payload: unknown fields first (all of
    them named), else the first field found wrong."""
    unknown = [str(e["loc"][0])[:30] for e in errors if e["type"] == "extra_forbidden"]
    if unknown:
        return tr("Trường không hợp lệ: {fields}", fields=", ".join(sorted(unknown)))
    error = errors[0]
    if not error["loc"]:  # not a JSON object at all
        return tr(NOT_AN_OBJECT)
    key = str(error["loc"][0])
    kind = error["type"]
    if key in model.field_messages:
        return tr(model.field_messages[key])
    if kind == "refusal":
        return error["msg"]
    if kind.startswith("bool") or (kind == "missing" and _is_bool(model, key)):
        return tr("Trường '{key}' phải là true/false", key=key)
    if kind == "missing" or error["input"] is None:
        return tr("Thiếu trường '{key}'", key=key)
    if kind.startswith("string"):
        return tr(
            "Trường '{key}' phải là chuỗi không quá {n} ký tự", key=key, n=_max_length(model, key)
        )
    if kind.startswith("float") or kind == "finite_number":
        return tr("Trường '{key}' phải là số", key=key)
    return tr("Trường '{key}' không hợp lệ", key=key)


def _is_bool(model: type[Message], key: str) -> bool:
    return model.model_fields[key].annotation is bool


def _max_length(model: type[Message], key: str) -> int:
    for constraint in model.model_fields[key].metadata:
        limit = getattr(constraint, "max_length", None)
        if isinstance(limit, int):
            return limit
    return MAX_ID


def error_ack(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": code, "message": message}
