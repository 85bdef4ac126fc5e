"""Running the rules: the checker, the checks by group, the rule catalogue and the selection a configuration makes."""
