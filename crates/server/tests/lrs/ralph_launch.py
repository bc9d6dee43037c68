"""Starts Ralph's learning record store (ralph-malph 5.1.0, its filesystem
backend) in one process for the learning-record tests.

Usage: <venv>/bin/python ralph_launch.py PORT   (settings from RALPH_* variables)

Two fixes to its filesystem backend are applied in memory, nothing installed
is changed: it writes with CREATE, so every write after the first fails
("already exists"), and its `verb` and `activity` filters compare an IRI
object with text, so they never match.
"""
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

_query_statements = FSLRSBackend.query_statements


def _query_statements_str_iris(self, params, target=None):
    for field in ("verb", "activity"):
        value = getattr(params, field, None)
        if value is not None and not isinstance(value, str):
            setattr(params, field, str(value))
    return _query_statements(self, params, target)


FSLRSBackend.query_statements = _query_statements_str_iris

uvicorn.run(
    "ralph.api:app",
    host="127.0.0.1",
    port=int(sys.argv[1]),
    log_level="warning",
    access_log=False,
)
