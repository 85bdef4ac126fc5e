"""Files to usable engagements: finding them, reading, validating against the spec-derived models."""
