"""The data each template receives, one module a report or page: plain dicts,
lists and texts (`Text`, which templates escape for the document they write).
`common` holds what they share."""
