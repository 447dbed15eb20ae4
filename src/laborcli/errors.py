"""Domain exceptions: every error a user can cause, under one base class.

Commands catch :class:`LaborError` only, print its message on one line and exit with its
``exit_code``; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class LaborError(Exception):
    """A problem the user can fix; carries the exit code of the command-line contract."""

    exit_code = 1


class UsageError(LaborError):
    """The command was asked for something it cannot do (bad option, missing file)."""

    exit_code = 2


class NotFound(LaborError):
    """Nothing in the registry matches the person or household asked for."""

    exit_code = 1


class InputFileError(LaborError):
    """A file cannot be read as a sheet at all (not a spreadsheet, corrupt, encrypted)."""

    exit_code = 1


class SchemaError(UsageError):
    """The sheet definition or policy file is malformed."""


class PolicyError(SchemaError):
    """The policy file cannot be used: missing, not TOML, an unknown key or a wrong type."""


class RegistryError(LaborError):
    """The registry cannot be used (locked, unreachable, newer schema)."""

    exit_code = 3
