"""Writing what users keep: surgical edits, new files and services, and tacli's own output files with their markers."""
