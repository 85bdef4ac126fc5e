"""`tacli serve`: the facilitator's week and the director's dashboard in a
browser, on the same files and through the same core as the command line.

A front door beside tacli.cli, never below it: it imports the layers under
it (commands, output, write, ...) and nothing imports it but the command line's
`serve`, by name, when that command runs (so that no other command loads
the web stack). The reasons for each choice are in docs/serve.md.
"""
