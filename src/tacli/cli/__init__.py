"""The terminal front door: the typer app, the questions asked in a terminal, shell completion and the progress bar."""
