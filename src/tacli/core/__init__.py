"""The bottom layer: findings, outcomes and exit codes, dates, numbers and text escaping; it imports nothing of tacli."""
