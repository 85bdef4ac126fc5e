"""Files in and out: bounded reads of what users give, YAML and TOML with positions, atomic writes and the edit lock."""
