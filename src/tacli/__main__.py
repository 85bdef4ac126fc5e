from tacli.cli.main import main

main()
