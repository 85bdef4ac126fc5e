"""The rules a file breaks when it cannot be read as YAML at all.

Declared apart from the YAML reader (io.yamlsource), so that a run that only
needs to know them (which findings leave a file out of the reports) does not
import the reader.
"""

from __future__ import annotations

from tacli.core.findings import Level, Rule

YAML_SYNTAX = Rule("yaml-syntax", Level.ERROR, "The file is not well-formed YAML: uneven indentation, a tab, a missing colon, a quote or bracket never closed (found at the line to fix).")
YAML_DUPLICATE_KEY = Rule("yaml-duplicate-key", Level.ERROR, "A key appears twice in the same mapping.")
YAML_TAG = Rule("yaml-tag", Level.ERROR, "A YAML tag, merge key or complex key that a plain data file must not use.")
YAML_LIMITS = Rule("yaml-limits", Level.ERROR, "The file is too large, holds too many values or too long a number, is nested too deeply or expands aliases too far.")
FILE_ENCODING = Rule("file-encoding", Level.ERROR, "The file is not UTF-8 text, or holds a character YAML does not allow (a control character).")
FILE_EMPTY = Rule("file-empty", Level.ERROR, "The file holds no YAML document.")
FILE_UNREADABLE = Rule("file-unreadable", Level.ERROR, "The file or folder cannot be read: not a regular file, no permission, a symbolic-link loop, a path too long.")

RULES = (YAML_SYNTAX, YAML_DUPLICATE_KEY, YAML_TAG, YAML_LIMITS, FILE_ENCODING, FILE_EMPTY, FILE_UNREADABLE)
