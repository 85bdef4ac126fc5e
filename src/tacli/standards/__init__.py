"""The standards as data: the format's vocabulary, the spec and its loading, the engagement models derived from it, the JSON Schema."""
