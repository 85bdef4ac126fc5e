from tacli.cli.main import command

command()
